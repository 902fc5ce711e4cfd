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
        TextWriter stderr, out RuleSet rules, out PipelineOptions pipeline)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        rules = RuleSet.Empty;
        pipeline = new PipelineOptions();
        try
        {
            rules = RuleLoader.Compile(rulesPath, ruleVariables, error => stderr.WriteLine($"visibility: warning: rule skipped: {error}"), pluginsPath);
        }
        catch (PluginLoadException e)
        {
            stderr.WriteLine($"visibility: error: {e.Message}");
            return ExitCodes.InputError;
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
