using Visibility.Tests.Shared;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    /// <summary>The real IKEv2 + UDP-encapsulated ESP session shipped in captures/public.</summary>
    public static string IpsecCapture => Path.Combine(Root, "captures", "public", "nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap");

    /// <summary>A capture shipped in captures/public, by its file name.</summary>
    public static string Capture(string name) => Path.Combine(Root, "captures", "public", name);

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Scripts", name);
}
