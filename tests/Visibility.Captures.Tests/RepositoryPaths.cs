namespace Visibility.Captures.Tests;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Visibility.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Visibility.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    public static string Captures => Path.Combine(Root, "captures");

    public static string Capture(string relative) => Path.Combine(Captures, relative);

    /// <summary>Every capture file under captures/ (pcap, pcapng, cap), as paths relative to captures/.</summary>
    public static IEnumerable<string> AllCaptures() =>
        Directory.EnumerateFiles(Captures, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal) || f.EndsWith(".cap", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Captures, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}
