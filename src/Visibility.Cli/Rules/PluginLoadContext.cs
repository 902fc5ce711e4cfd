using System.Reflection;
using System.Runtime.Loader;
using Visibility.Inspection.Abstractions;
using Visibility.Wire;

namespace Visibility.Cli.Rules;

/// <summary>The collectible load context of one plugin assembly. It shares the abstractions assembly and Wire (whose
/// types the plugin's interface exposes) with the host, so the plugin's inspectors are the host's
/// <see cref="IPacketInspector"/>; every other dependency the plugin's <c>.deps.json</c> (or its folder) provides is
/// the plugin's own, so two plugins may use different versions of one library.</summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private static readonly string[] s_shared =
    [
        typeof(IPacketInspector).Assembly.GetName().Name!,
        typeof(NetworkAddress).Assembly.GetName().Name!,
    ];

    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string assemblyPath)
        : base($"plugin {Path.GetFileName(assemblyPath)}", isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
    }

    /// <summary>True for an assembly the host shares with plugins (a copy of it in a plugin folder is not a plugin).</summary>
    public static bool IsShared(string assemblyName) => s_shared.Contains(assemblyName, StringComparer.OrdinalIgnoreCase);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || IsShared(assemblyName.Name))
        {
            // Null defers to the host's context: one IPacketInspector type for host and plugins.
            return null;
        }
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
