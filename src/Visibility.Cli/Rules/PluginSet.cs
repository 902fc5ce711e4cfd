using Visibility.Engine.Plugins;

namespace Visibility.Cli.Rules;

/// <summary>The plugins loaded from one folder: their inspectors (wrapped for the engine) and the load contexts that
/// hold them. <see cref="Unload"/> after the rule set that uses them has been replaced.</summary>
internal sealed class PluginSet
{
    private readonly IReadOnlyList<PluginLoadContext> _contexts;

    public PluginSet(IReadOnlyList<PacketInspectorAdapter> inspectors, IReadOnlyList<string> files, IReadOnlyList<PluginLoadContext> contexts)
    {
        Inspectors = inspectors;
        Files = files;
        _contexts = contexts;
    }

    public static PluginSet Empty { get; } = new([], [], []);

    /// <summary>Every inspector of every plugin that loaded, in file then type-name order.</summary>
    public IReadOnlyList<PacketInspectorAdapter> Inspectors { get; }

    /// <summary>The plugin assemblies that loaded.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Starts unloading the plugin assemblies; they go once nothing (an evaluator still finishing a packet)
    /// refers to their inspectors.</summary>
    public void Unload()
    {
        foreach (PluginLoadContext context in _contexts)
        {
            context.Unload();
        }
    }
}
