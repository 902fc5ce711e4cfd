using Visibility.Cli.Replay;
using Visibility.Cli.Rules;
using Visibility.Engine.Ike;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Wire.Ike.Keys;

namespace Visibility.Cli.Capture;

/// <summary>What <c>replay</c>, <c>live</c> and <c>inline</c> set up the same way before a <see cref="SensorSession"/>:
/// the rules (<c>--rules</c>, <c>--set</c>), the plugins (<c>--plugins</c>) and the keys (<c>--keys</c>), with their
/// warnings and errors on stderr.</summary>
internal static class SessionSetup
{
    /// <summary>Compiles the rules and loads the keys. Returns null on success, else the exit code (the error was
    /// written).</summary>
    public static int? TryLoad(string? rulesPath, IReadOnlyList<string> ruleVariables, string? pluginsPath, string? keysPath,
        TextWriter stderr, out RuleSet rules, out PipelineOptions pipeline) =>
        TryLoad(rulesPath, ruleVariables, pluginsPath, keysPath, stderr, out rules, out _, out pipeline);

    /// <summary>As the other overload, and hands back the plugins loaded (to unload once a reload replaced them).</summary>
    public static int? TryLoad(string? rulesPath, IReadOnlyList<string> ruleVariables, string? pluginsPath, string? keysPath,
        TextWriter stderr, out RuleSet rules, out PluginSet plugins, out PipelineOptions pipeline)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        rules = RuleSet.Empty;
        plugins = PluginSet.Empty;
        pipeline = new PipelineOptions();
        try
        {
            RuleLoader.Inspection loaded = RuleLoader.LoadAll(RuleLoader.DefaultPath(rulesPath), ruleVariables, pluginsPath);
            foreach (string error in loaded.RuleErrors)
            {
                stderr.WriteLine($"visibility: warning: rule skipped: {error}");
            }
            if (loaded.PluginErrors.Count > 0)
            {
                loaded.Plugins.Unload();
                stderr.WriteLine($"visibility: error: plugin {string.Join("; plugin ", loaded.PluginErrors)}");
                return ExitCodes.InputError;
            }
            rules = loaded.RuleSet;
            plugins = loaded.Plugins;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"visibility: error: rules: {e.Message}");
            return ExitCodes.InputError;
        }
        if (keysPath is null)
        {
            return null;
        }
        KeyLoader.Keys keys;
        try
        {
            keys = KeyLoader.Load(keysPath);
        }
        catch (KeyFileException e)
        {
            stderr.WriteLine($"visibility: error: {e.Message}");
            return ExitCodes.InputError;
        }
        foreach (string warning in keys.Warnings)
        {
            stderr.WriteLine($"visibility: warning: {warning}");
        }
        pipeline = new PipelineOptions { Ike = new IkeTrackerOptions { IkeKeys = keys.Ike, EspKeys = keys.Esp } };
        return null;
    }
}
