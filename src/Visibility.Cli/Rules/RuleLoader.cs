using Visibility.Engine.Inspection;

namespace Visibility.Cli.Rules;

/// <summary>Reads rule files: one <c>.rules</c> file, or every <c>*.rules</c> file of a folder (in name order) with the
/// folder's <c>variables.conf</c>; <c>--set NAME=value</c> overrides variables.</summary>
internal static class RuleLoader
{
    public const string VariablesFile = "variables.conf";

    /// <summary>The outcome: the rules that loaded, every error (file:line:col), and the files read.</summary>
    public sealed record Result(IReadOnlyList<Rule> Rules, IReadOnlyList<string> Errors, IReadOnlyList<string> Files);

    /// <exception cref="IOException">The path cannot be read.</exception>
    public static Result Load(string path, IReadOnlyList<string> assignments)
    {
        var errors = new List<string>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string> files;
        if (Directory.Exists(path))
        {
            string conf = Path.Combine(path, VariablesFile);
            if (File.Exists(conf))
            {
                errors.AddRange(RuleVariables.Parse(File.ReadAllText(conf), conf, variables).Select(e => e.ToString()));
            }
            files = [.. Directory.EnumerateFiles(path, "*.rules").Order(StringComparer.Ordinal)];
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new FileNotFoundException($"no such file or folder: {path}", path);
        }
        foreach (string assignment in assignments)
        {
            if (!RuleVariables.TrySet(assignment, variables))
            {
                errors.Add($"--set {assignment}: expected NAME=value");
            }
        }

        var parser = new RuleParser(variables);
        foreach (string file in files)
        {
            parser.AddText(File.ReadAllText(file), file);
        }
        errors.AddRange(parser.Errors.Select(e => e.ToString()));
        return new Result(parser.Rules, errors, files);
    }

    /// <summary>Loads and compiles rules for a run; each error is passed to <paramref name="warn"/> and the rule skipped.
    /// A null path means the <c>rules/</c> folder of the current directory when there is one, else no rules.</summary>
    /// <exception cref="IOException">The path cannot be read.</exception>
    public static RuleSet Compile(string? path, IReadOnlyList<string> assignments, Action<string> warn)
    {
        path ??= Directory.Exists("rules") ? "rules" : null;
        if (path is null)
        {
            return RuleSet.Empty;
        }
        Result loaded = Load(path, assignments);
        foreach (string error in loaded.Errors)
        {
            warn(error);
        }
        return RuleSet.Compile(loaded.Rules);
    }
}
