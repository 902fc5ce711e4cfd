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

    /// <summary>Rule files and plugins compiled into one set: the set (the rules that parsed, the plugins that
    /// loaded), the rule errors, one line per refused plugin, and the plugins to unload once the set is replaced.</summary>
    public sealed record Inspection(RuleSet RuleSet, PluginSet Plugins, int RuleCount, IReadOnlyList<string> RuleErrors,
        IReadOnlyList<string> PluginErrors)
    {
        public bool HasErrors => RuleErrors.Count > 0 || PluginErrors.Count > 0;
    }

    /// <summary>Loads the rule files at <paramref name="rulesPath"/> (none when null) and the plugins in
    /// <paramref name="pluginsPath"/> (none when null) and compiles them together. A plugin whose sid a rule file (or
    /// an earlier plugin) already uses is refused.</summary>
    /// <exception cref="IOException">A path cannot be read.</exception>
    public static Inspection LoadAll(string? rulesPath, IReadOnlyList<string> assignments, string? pluginsPath)
    {
        Result rules = rulesPath is null ? new Result([], [], []) : Load(rulesPath, assignments);
        var taken = new Dictionary<(uint Gid, uint Sid), string>();
        foreach (Rule rule in rules.Rules)
        {
            taken.TryAdd((rule.Gid, rule.Sid), $"{rule.File}:{rule.Line}");
        }
        PluginLoader.Result plugins = pluginsPath is null ? new PluginLoader.Result(PluginSet.Empty, []) : PluginLoader.Load(pluginsPath, taken);
        RuleSet set = RuleSet.Compile(rules.Rules, plugins.Plugins.Inspectors);
        return new Inspection(set, plugins.Plugins, rules.Rules.Count, rules.Errors, plugins.Errors);
    }

    /// <summary>The rule path a run uses: <paramref name="path"/>, or when null the <c>rules/</c> folder of the current
    /// directory when there is one, else null (no rules).</summary>
    public static string? DefaultPath(string? path) => path ?? (Directory.Exists("rules") ? "rules" : null);

    /// <summary>Loads and compiles rules (and plugins) for a run; each rule error is passed to <paramref name="warn"/>
    /// and the rule skipped. A null path means the <c>rules/</c> folder of the current directory when there is one,
    /// else no rules.</summary>
    /// <exception cref="IOException">A path cannot be read.</exception>
    /// <exception cref="PluginLoadException">A plugin was refused (the message names each one and why).</exception>
    public static RuleSet Compile(string? path, IReadOnlyList<string> assignments, Action<string> warn, string? pluginsPath = null)
    {
        path = DefaultPath(path);
        Inspection loaded = LoadAll(path, assignments, pluginsPath);
        foreach (string error in loaded.RuleErrors)
        {
            warn(error);
        }
        if (loaded.PluginErrors.Count > 0)
        {
            loaded.Plugins.Unload();
            throw new PluginLoadException($"plugin {string.Join("; plugin ", loaded.PluginErrors)}");
        }
        return loaded.RuleSet;
    }
}
