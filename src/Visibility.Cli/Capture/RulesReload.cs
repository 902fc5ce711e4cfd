using System.Runtime.InteropServices;
using Visibility.Cli.Rules;

namespace Visibility.Cli.Capture;

/// <summary>SIGHUP for <c>live</c> and <c>inline</c>: recompiles the rules (and the plugins, when <c>--plugins</c> was
/// given) and swaps them on every worker's pipeline without stopping capture. A rule file with errors, a plugin
/// refused or an unreadable path leaves the rules in force; one line on stderr says which happened.</summary>
/// <remarks>The same load the service's reload uses (<see cref="RuleLoader.LoadAll"/>): every rule must compile, not
/// only some, or nothing changes. Reloads are serialised; the old plugins are unloaded once their rule set is
/// replaced.</remarks>
internal sealed class RulesReload : IDisposable
{
    private readonly SensorSession _session;
    private readonly string? _rulesPath;
    private readonly IReadOnlyList<string> _ruleVariables;
    private readonly string? _pluginsPath;
    private readonly TextWriter _stderr;
    private readonly Lock _lock = new();
    private PosixSignalRegistration? _registration;
    private PluginSet _plugins;

    /// <param name="session">The running session whose pipelines get the new rules.</param>
    /// <param name="rulesPath">The rule file or folder the run was started with, after the <c>./rules</c> default.</param>
    /// <param name="ruleVariables">The <c>--set</c> assignments.</param>
    /// <param name="pluginsPath">The <c>--plugins</c> folder, or null.</param>
    /// <param name="plugins">The plugins now in force (unloaded after the first successful reload).</param>
    /// <param name="stderr">Where the outcome line goes.</param>
    public RulesReload(SensorSession session, string? rulesPath, IReadOnlyList<string> ruleVariables, string? pluginsPath, PluginSet plugins, TextWriter stderr)
    {
        _session = session;
        _rulesPath = rulesPath;
        _ruleVariables = ruleVariables;
        _pluginsPath = pluginsPath;
        _plugins = plugins;
        _stderr = stderr;
    }

    /// <summary>Successful reloads so far.</summary>
    public int Reloads { get; private set; }

    /// <summary>From now on SIGHUP reloads instead of ending the process.</summary>
    public void Listen() => _registration ??= PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
    {
        context.Cancel = true;
        Reload();
    });

    /// <summary>Reloads now; returns whether the new rules are in force.</summary>
    public bool Reload()
    {
        lock (_lock)
        {
            if (_rulesPath is null && _pluginsPath is null)
            {
                _stderr.WriteLine("visibility: SIGHUP: nothing to reload (no --rules, no ./rules, no --plugins)");
                return false;
            }
            RuleLoader.Inspection loaded;
            try
            {
                loaded = RuleLoader.LoadAll(_rulesPath, _ruleVariables, _pluginsPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _stderr.WriteLine($"visibility: error: rules reload refused, the old rules stay: {e.Message}");
                return false;
            }
            if (loaded.HasErrors)
            {
                loaded.Plugins.Unload();
                string reasons = string.Join("; ", loaded.RuleErrors.Concat(loaded.PluginErrors.Select(e => $"plugin {e}")));
                _stderr.WriteLine($"visibility: error: rules reload refused, the old rules stay: {reasons}");
                return false;
            }
            _session.SwapRules(loaded.RuleSet);
            PluginSet old = _plugins;
            _plugins = loaded.Plugins;
            old.Unload();
            Reloads++;
            _stderr.WriteLine($"visibility: rules reloaded: {loaded.RuleCount} rules"
                + (_pluginsPath is null ? string.Empty : $", {loaded.Plugins.Inspectors.Count} plugin inspector(s)"));
            return true;
        }
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }
}
