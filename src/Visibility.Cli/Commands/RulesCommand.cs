using System.CommandLine;
using Visibility.Cli.Rules;

namespace Visibility.Cli.Commands;

/// <summary><c>visibility rules check PATH</c>: parses rule files and reports every error with file:line:col.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "a .rules file, or a folder of them (with variables.conf)" };
        var set = new Option<string[]>("--set") { Description = "set a rule variable, e.g. --set HOME_NET=10.0.0.0/8 (repeatable)", HelpName = "NAME=VALUE" };
        var check = new Command("check", """
            Parse rule files and report every error as file:line:col: message. Exit codes: 0 all rules load;
            1 bad usage; 2 a file cannot be read or any rule has an error.
            """)
        {
            path,
            set,
        };
        check.SetAction(result =>
        {
            string target = result.GetValue(path)!;
            RuleLoader.Result loaded;
            try
            {
                loaded = RuleLoader.Load(target, result.GetValue(set) ?? []);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"visibility: error: {e.Message}");
                return ExitCodes.InputError;
            }
            foreach (string error in loaded.Errors)
            {
                Console.Error.WriteLine(error);
            }
            Console.Out.WriteLine($"{loaded.Rules.Count} rules loaded from {loaded.Files.Count} file(s), {loaded.Errors.Count} error(s)");
            return loaded.Errors.Count == 0 ? ExitCodes.Success : ExitCodes.InputError;
        });
        return new Command("rules", "Work with inspection rule files.") { check };
    }
}
