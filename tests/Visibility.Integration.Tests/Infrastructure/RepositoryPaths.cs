namespace Visibility.Integration.Tests.Infrastructure;

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

    /// <summary>The real IKEv2 + UDP-encapsulated ESP session shipped in captures/public.</summary>
    public static string IpsecCapture => Path.Combine(Root, "captures", "public", "nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap");

    /// <summary>A capture shipped in captures/public, by its file name.</summary>
    public static string Capture(string name) => Path.Combine(Root, "captures", "public", name);

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Scripts", name);
}
