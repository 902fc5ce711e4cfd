namespace Visibility.IkePeer.Tests.Interop;

/// <summary>Two network namespaces joined by a veth pair, one visibility-peer in each: "initiator" (198.18.0.1,
/// fd00:5::1) and "responder" (198.18.0.2, fd00:5::2), with tcpdump recording the responder's end of the link. Torn
/// down on dispose.</summary>
internal sealed class RawEspLab : IDisposable
{
    public const string InitiatorAddress = "198.18.0.1";
    public const string ResponderAddress = "198.18.0.2";
    public const string InitiatorAddress6 = "fd00:5::1";
    public const string ResponderAddress6 = "fd00:5::2";
    public const string ResponderInterface = "vresp0";

    private readonly NamespacePair _pair = new("vri", "vrr", "vinit0", ResponderInterface, "visibility-peer-rawesp-");

    public string InitiatorNamespace => _pair.First;

    public string ResponderNamespace => _pair.Second;

    public string Directory => _pair.Directory;

    public string CapturePath => Path.Combine(Directory, "link.pcap");

    /// <summary>Why the lab cannot run here, or null when it can.</summary>
    public static string? MissingPrerequisite()
    {
        if (RequiresRootFactAttribute.MissingReason() is { } reason)
        {
            return reason;
        }

        if (NamespacePair.MissingTool(["/usr/bin/ip", "/usr/bin/tcpdump", "/usr/bin/tshark"]) is { } tool)
        {
            return $"the raw ESP lab needs {tool} (packages iproute2 tcpdump tshark)";
        }

        return null;
    }

    public async Task StartAsync()
    {
        await _pair.CreateAsync();
        foreach (var (ns, device, v4, v6) in new[] { (InitiatorNamespace, _pair.FirstDevice, InitiatorAddress, InitiatorAddress6), (ResponderNamespace, ResponderInterface, ResponderAddress, ResponderAddress6) })
        {
            await NamespacePair.Ip("-n", ns, "addr", "add", v4 + "/24", "dev", device);
            await NamespacePair.Ip("-n", ns, "addr", "add", v6 + "/64", "dev", device, "nodad");
        }
    }

    /// <summary>Starts tcpdump on the responder's end of the link, writing <see cref="CapturePath"/> packet by packet;
    /// returns once it listens.</summary>
    public async Task<ChildProcess> StartCaptureAsync()
    {
        var tcpdump = _pair.Start("/usr/bin/ip", ["netns", "exec", ResponderNamespace, "tcpdump", "-i", ResponderInterface, "-n", "-U", "--immediate-mode", "-w", CapturePath]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!tcpdump.Error.Contains("listening on", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return tcpdump;
    }

    public ChildProcess StartPeer(string ns, params string[] args) => _pair.StartPeer(ns, args);

    /// <summary>tshark's one line per packet of <see cref="CapturePath"/>: IP protocol, IPv6 next header, UDP source and destination ports, comma-separated.</summary>
    public async Task<List<string>> ReadCaptureAsync()
    {
        var result = await ChildProcess.RunAsync("/usr/bin/tshark", ["-r", CapturePath, "-T", "fields", "-E", "separator=,", "-e", "ip.proto", "-e", "ipv6.nxt", "-e", "udp.srcport", "-e", "udp.dstport"],
            TimeSpan.FromSeconds(60));
        return result.ExitCode == 0
            ? [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : throw new InvalidOperationException($"tshark: {result}");
    }

    public void Dispose() => _pair.Dispose();
}
