using System.Globalization;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>The commands the test topologies (<see cref="NetworkNamespacePair"/>, <see cref="InlineTopology"/>) are
/// built with.</summary>
internal static class NamespaceCommands
{
    /// <summary>A suffix for names unique per process and call; with a short prefix, interface names stay within
    /// IFNAMSIZ (15).</summary>
    public static string UniqueSuffix() =>
        (Environment.ProcessId % 100000).ToString(CultureInfo.InvariantCulture) + Random.Shared.Next(100, 1000).ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates namespace <paramref name="ns"/> with its loopback up and IPv6 off (no neighbour-discovery
    /// chatter in the captures).</summary>
    public static void AddNamespace(string ns)
    {
        Must("ip", "netns", "add", ns);
        Must("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        Must("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        Must("ip", "-n", ns, "link", "set", "lo", "up");
    }

    public static string Mac(string ns, string iface)
    {
        (int code, string output) = Prerequisites.Run("ip", "netns", "exec", ns, "cat", $"/sys/class/net/{iface}/address");
        return code == 0 ? output.Trim() : throw new InvalidOperationException($"no MAC for {iface}: {output}");
    }

    /// <summary>Runs a command that must succeed.</summary>
    public static void Must(string file, params string[] args)
    {
        (int code, string output) = Prerequisites.Run(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {output.Trim()}");
        }
    }
}
