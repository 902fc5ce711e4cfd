using System.Reflection;
using Visibility.Engine.Plugins;
using Visibility.Inspection.Abstractions;

namespace Visibility.Cli.Rules;

/// <summary>Loads inspection plugins from a folder: every <c>*.dll</c> in it, and <c>NAME/NAME.dll</c> of every
/// subfolder (a plugin with private dependencies beside it), in name order. Each assembly gets its own collectible
/// <see cref="PluginLoadContext"/>; every public, non-abstract <see cref="IPacketInspector"/> with a public
/// parameterless constructor in it is instantiated.</summary>
/// <remarks>A plugin with any problem (not an assembly, missing dependency, no inspector, a constructor that
/// throws, a bad signature declaration) is refused whole and reported in one line naming the file; the others
/// load. Copies of the shared assemblies (abstractions, Wire) in the folder are ignored.</remarks>
internal static class PluginLoader
{
    /// <summary>The plugins that loaded and one line per plugin that did not.</summary>
    public sealed record Result(PluginSet Plugins, IReadOnlyList<string> Errors);

    /// <param name="directory">The plugins folder.</param>
    /// <param name="taken">(gid, sid) pairs already used, with where (rule files): a plugin declaring one is refused.
    /// The signatures of the plugins that load are added, so two plugins cannot share a sid either.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static Result Load(string directory, Dictionary<(uint Gid, uint Sid), string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"plugins: no such folder: {directory}");
        }
        var errors = new List<string>();
        var inspectors = new List<PacketInspectorAdapter>();
        var files = new List<string>();
        var contexts = new List<PluginLoadContext>();
        foreach (string file in Discover(directory))
        {
            var context = new PluginLoadContext(Path.GetFullPath(file));
            string? error = LoadOne(context, file, out List<PacketInspectorAdapter> loaded) ?? Claim(loaded, file, taken);
            if (error is not null)
            {
                errors.Add($"{file}: {error.ReplaceLineEndings(" ")}");
                context.Unload();
                continue;
            }
            inspectors.AddRange(loaded);
            files.Add(file);
            contexts.Add(context);
        }
        return new Result(new PluginSet(inspectors, files, contexts), errors);
    }

    /// <summary>The plugin assemblies of <paramref name="directory"/>, in ordinal name order.</summary>
    public static IReadOnlyList<string> Discover(string directory)
    {
        var found = new List<string>();
        foreach (string file in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            if (!PluginLoadContext.IsShared(Path.GetFileNameWithoutExtension(file)))
            {
                found.Add(file);
            }
        }
        foreach (string folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            string main = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
            if (File.Exists(main))
            {
                found.Add(main);
            }
        }
        return found;
    }

    private static string? LoadOne(PluginLoadContext context, string file, out List<PacketInspectorAdapter> inspectors)
    {
        inspectors = [];
        Assembly assembly;
        try
        {
            assembly = context.LoadFromAssemblyPath(Path.GetFullPath(file));
        }
        catch (BadImageFormatException)
        {
            return "not a .NET assembly";
        }
        catch (Exception e) when (e is FileLoadException or FileNotFoundException or IOException)
        {
            return $"cannot load: {e.Message}";
        }

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException or BadImageFormatException or ReflectionTypeLoadException)
        {
            return $"cannot read its types (a dependency is missing or was built for another version): {FirstMessage(e)}";
        }

        foreach (Type type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters || !typeof(IPacketInspector).IsAssignableFrom(type)
                || type.GetConstructor(Type.EmptyTypes) is null)
            {
                continue;
            }
            IPacketInspector instance;
            try
            {
                instance = (IPacketInspector)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                return $"{type.FullName}: constructor threw {inner.GetType().Name}: {inner.Message}";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return $"{type.FullName}: cannot create: {e.Message}";
            }
            try
            {
                inspectors.Add(new PacketInspectorAdapter(instance));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bad declaration (ArgumentException) or a throwing Name/Protocol/Signatures getter.
                string message = e is ArgumentException { ParamName: not null } a ? a.Message.Replace($" (Parameter '{a.ParamName}')", string.Empty, StringComparison.Ordinal) : e.Message;
                return $"{type.FullName}: {message}";
            }
        }
        return inspectors.Count == 0
            ? $"no public {nameof(IPacketInspector)} with a public parameterless constructor"
            : null;
    }

    /// <summary>Checks the plugin's sids against those taken and takes them; null when none clashes.</summary>
    private static string? Claim(List<PacketInspectorAdapter> inspectors, string file, Dictionary<(uint Gid, uint Sid), string> taken)
    {
        var own = new HashSet<(uint, uint)>();
        foreach (PacketInspectorAdapter inspector in inspectors)
        {
            foreach (Engine.Inspection.Rule rule in inspector.Rules)
            {
                if (!own.Add((rule.Gid, rule.Sid)))
                {
                    return $"{inspector.Inspector.GetType().FullName}: sid {rule.Sid} (gid {rule.Gid}) is declared by two of its inspectors";
                }
                if (taken.TryGetValue((rule.Gid, rule.Sid), out string? owner))
                {
                    return $"{inspector.Inspector.GetType().FullName}: sid {rule.Sid} (gid {rule.Gid}) is already used by {owner}";
                }
            }
        }
        foreach (PacketInspectorAdapter inspector in inspectors)
        {
            foreach (Engine.Inspection.Rule rule in inspector.Rules)
            {
                taken[(rule.Gid, rule.Sid)] = $"plugin {file} ({inspector.Inspector.GetType().FullName})";
            }
        }
        return null;
    }

    private static string FirstMessage(Exception e) =>
        e is ReflectionTypeLoadException { LoaderExceptions: [{ } first, ..] } ? first.Message : e.Message;
}
