using Visibility.Tests.Shared;

namespace Visibility.Captures.Tests;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string Captures => Path.Combine(Root, "captures");

    public static string Capture(string relative) => Path.Combine(Captures, relative);

    /// <summary>Every capture file under captures/ (pcap, pcapng, cap), as paths relative to captures/.</summary>
    public static IEnumerable<string> AllCaptures() =>
        Directory.EnumerateFiles(Captures, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal) || f.EndsWith(".cap", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Captures, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}
