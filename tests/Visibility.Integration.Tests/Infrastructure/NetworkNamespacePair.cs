using static Visibility.Integration.Tests.Infrastructure.NamespaceCommands;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Two network namespaces made for one test, joined by a veth pair: the sensor's side and the peer's side.
/// Addresses are from TEST-NET-1 (RFC 5737) and exist only inside these namespaces; IPv6 is off so the kernel adds
/// no neighbour-discovery chatter. Everything is deleted in <see cref="Dispose"/>.</summary>
internal sealed class NetworkNamespacePair : IDisposable
{
    public const string PeerAddress = "192.0.2.1";
    public const string SensorAddress = "192.0.2.2";

    private NetworkNamespacePair(string suffix)
    {
        SensorNamespace = "vis-s-" + suffix;
        PeerNamespace = "vis-p-" + suffix;
        SensorInterface = "vs" + suffix;
        PeerInterface = "vp" + suffix;
    }

    public string SensorNamespace { get; }

    public string PeerNamespace { get; }

    /// <summary>The veth end in the sensor's namespace (the capture interface).</summary>
    public string SensorInterface { get; }

    /// <summary>The veth end in the peer's namespace (where test traffic is sent from).</summary>
    public string PeerInterface { get; }

    public string SensorMac { get; private set; } = string.Empty;

    public string PeerMac { get; private set; } = string.Empty;

    public static NetworkNamespacePair Create()
    {
        var pair = new NetworkNamespacePair(NamespaceCommands.UniqueSuffix());
        try
        {
            pair.Setup();
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // Deleting a namespace deletes the veth end inside it, and with it the pair.
        Prerequisites.Run("ip", "netns", "del", SensorNamespace);
        Prerequisites.Run("ip", "netns", "del", PeerNamespace);
        Prerequisites.Run("ip", "link", "del", SensorInterface);
    }

    private void Setup()
    {
        AddNamespace(SensorNamespace);
        AddNamespace(PeerNamespace);
        Must("ip", "link", "add", SensorInterface, "type", "veth", "peer", "name", PeerInterface);
        Must("ip", "link", "set", SensorInterface, "netns", SensorNamespace);
        Must("ip", "link", "set", PeerInterface, "netns", PeerNamespace);
        foreach ((string ns, string iface, string address) in new[] { (SensorNamespace, SensorInterface, SensorAddress), (PeerNamespace, PeerInterface, PeerAddress) })
        {
            Must("ip", "-n", ns, "addr", "add", address + "/24", "dev", iface);
            Must("ip", "-n", ns, "link", "set", iface, "up");
        }
        SensorMac = Mac(SensorNamespace, SensorInterface);
        PeerMac = Mac(PeerNamespace, PeerInterface);
    }
}
