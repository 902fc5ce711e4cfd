using System.Diagnostics;
using static Visibility.Integration.Tests.Infrastructure.NamespaceCommands;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Three network namespaces made for one inline test: A and B, each with one veth end and an address from
/// TEST-NET-1 (RFC 5737), and the sensor's namespace holding the two other ends (the bridge's ports, no addresses).
/// A and B reach each other only through the sensor. IPv6 is off, so the kernels add no neighbour-discovery
/// chatter; A's and B's transmit checksum offload is off, so their own TCP survives capture and re-injection.
/// Everything is deleted in <see cref="Dispose"/>.</summary>
internal sealed class InlineTopology : IDisposable
{
    public const string AddressA = "192.0.2.1";
    public const string AddressB = "192.0.2.2";

    private InlineTopology(string suffix)
    {
        SensorNamespace = "vis-is-" + suffix;
        NamespaceA = "vis-ia-" + suffix;
        NamespaceB = "vis-ib-" + suffix;
        PortA = "ia" + suffix;
        PortB = "ib" + suffix;
        InterfaceA = "xa" + suffix;
        InterfaceB = "xb" + suffix;
    }

    public string SensorNamespace { get; }

    public string NamespaceA { get; }

    public string NamespaceB { get; }

    /// <summary>The sensor's port toward A (<c>--in</c>).</summary>
    public string PortA { get; }

    /// <summary>The sensor's port toward B (<c>--out</c>).</summary>
    public string PortB { get; }

    /// <summary>A's interface.</summary>
    public string InterfaceA { get; }

    /// <summary>B's interface.</summary>
    public string InterfaceB { get; }

    public string MacA { get; private set; } = string.Empty;

    public string MacB { get; private set; } = string.Empty;

    public static InlineTopology Create()
    {
        var topology = new InlineTopology(NamespaceCommands.UniqueSuffix());
        try
        {
            topology.Setup();
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    /// <summary>Runs a command inside namespace <paramref name="ns"/>.</summary>
    public static (int Code, string Output) Exec(string ns, string file, params string[] args) =>
        Prerequisites.Run("ip", ["netns", "exec", ns, file, .. args]);

    /// <summary>Starts tcpdump on B's interface writing every frame A sent that reaches B to <paramref name="pcap"/>;
    /// returns once it listens. Stop it with SIGINT (it then flushes the file). The snap length is a test frame's
    /// size, not tcpdump's 262144: in immediate mode each kernel ring slot is that large, and a burst would overrun a
    /// ring of a handful of slots.</summary>
    public Process StartReceiverB(string pcap)
    {
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["netns", "exec", NamespaceB, "tcpdump", "-n", "-i", InterfaceB, "-Q", "in", "-s", "2048", "-B", "65536", "-U",
            "--immediate-mode", "-w", pcap, "ether", "src", MacA])
        {
            info.ArgumentList.Add(arg);
        }
        Process process = Process.Start(info)!;
        var listening = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(20)))
        {
            process.Kill();
            throw new InvalidOperationException("tcpdump in namespace B did not start");
        }
        return process;
    }

    public void Dispose()
    {
        // Deleting a namespace deletes the veth ends inside it, and with them the pairs.
        Prerequisites.Run("ip", "netns", "del", SensorNamespace);
        Prerequisites.Run("ip", "netns", "del", NamespaceA);
        Prerequisites.Run("ip", "netns", "del", NamespaceB);
    }

    private void Setup()
    {
        foreach (string ns in (string[])[SensorNamespace, NamespaceA, NamespaceB])
        {
            AddNamespace(ns);
        }
        Must("ip", "link", "add", PortA, "netns", SensorNamespace, "type", "veth", "peer", "name", InterfaceA, "netns", NamespaceA);
        Must("ip", "link", "add", PortB, "netns", SensorNamespace, "type", "veth", "peer", "name", InterfaceB, "netns", NamespaceB);
        Must("ip", "-n", NamespaceA, "addr", "add", AddressA + "/24", "dev", InterfaceA);
        Must("ip", "-n", NamespaceB, "addr", "add", AddressB + "/24", "dev", InterfaceB);
        foreach ((string ns, string iface) in new[] { (SensorNamespace, PortA), (SensorNamespace, PortB), (NamespaceA, InterfaceA), (NamespaceB, InterfaceB) })
        {
            Must("ip", "-n", ns, "link", "set", iface, "up");
        }
        Must("ip", "netns", "exec", NamespaceA, Prerequisites.Python, RepositoryPaths.Script("disable_tx_checksum.py"), InterfaceA);
        Must("ip", "netns", "exec", NamespaceB, Prerequisites.Python, RepositoryPaths.Script("disable_tx_checksum.py"), InterfaceB);
        MacA = Mac(NamespaceA, InterfaceA);
        MacB = Mac(NamespaceB, InterfaceB);
    }
}
