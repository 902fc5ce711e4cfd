using System.Globalization;

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

    private static int s_counter;

    private readonly List<string> _namespaces = [];
    private readonly List<ChildProcess> _processes = [];

    public RawEspLab()
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 100000}x{Interlocked.Increment(ref s_counter)}");
        InitiatorNamespace = $"vri{id}";
        ResponderNamespace = $"vrr{id}";
        Directory = System.IO.Directory.CreateTempSubdirectory("visibility-peer-rawesp-").FullName;
    }

    public string InitiatorNamespace { get; }

    public string ResponderNamespace { get; }

    public string Directory { get; }

    public string CapturePath => Path.Combine(Directory, "link.pcap");

    /// <summary>Why the lab cannot run here, or null when it can.</summary>
    public static string? MissingPrerequisite()
    {
        if (RequiresRootFactAttribute.MissingReason() is { } reason)
        {
            return reason;
        }

        foreach (var tool in new[] { "/usr/bin/ip", "/usr/bin/tcpdump", "/usr/bin/tshark" })
        {
            if (!File.Exists(tool) && !File.Exists("/usr/sbin/" + Path.GetFileName(tool)) && !File.Exists("/sbin/" + Path.GetFileName(tool)))
            {
                return $"the raw ESP lab needs {tool} (packages iproute2 tcpdump tshark)";
            }
        }

        return null;
    }

    public async Task StartAsync()
    {
        await Ip("netns", "add", InitiatorNamespace);
        _namespaces.Add(InitiatorNamespace);
        await Ip("netns", "add", ResponderNamespace);
        _namespaces.Add(ResponderNamespace);
        await Ip("link", "add", "vinit0", "netns", InitiatorNamespace, "type", "veth", "peer", "name", ResponderInterface, "netns", ResponderNamespace);
        foreach (var (ns, device, v4, v6) in new[] { (InitiatorNamespace, "vinit0", InitiatorAddress, InitiatorAddress6), (ResponderNamespace, ResponderInterface, ResponderAddress, ResponderAddress6) })
        {
            await Ip("-n", ns, "addr", "add", v4 + "/24", "dev", device);
            await Ip("-n", ns, "addr", "add", v6 + "/64", "dev", device, "nodad");
            await Ip("-n", ns, "link", "set", device, "up");
            await Ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    /// <summary>Starts tcpdump on the responder's end of the link, writing <see cref="CapturePath"/> packet by packet;
    /// returns once it listens.</summary>
    public async Task<ChildProcess> StartCaptureAsync()
    {
        var tcpdump = Start("/usr/bin/ip", ["netns", "exec", ResponderNamespace, "tcpdump", "-i", ResponderInterface, "-n", "-U", "--immediate-mode", "-w", CapturePath]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!tcpdump.Error.Contains("listening on", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return tcpdump;
    }

    public ChildProcess StartPeer(string ns, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var dll = Path.Combine(AppContext.BaseDirectory, "visibility-peer.dll");
        return Start("/usr/bin/ip", ["netns", "exec", ns, dotnet, dll, .. args]);
    }

    /// <summary>tshark's one line per packet of <see cref="CapturePath"/>: IP protocol, IPv6 next header, UDP source and destination ports, comma-separated.</summary>
    public async Task<List<string>> ReadCaptureAsync()
    {
        var result = await ChildProcess.RunAsync("/usr/bin/tshark", ["-r", CapturePath, "-T", "fields", "-E", "separator=,", "-e", "ip.proto", "-e", "ipv6.nxt", "-e", "udp.srcport", "-e", "udp.dstport"],
            TimeSpan.FromSeconds(60));
        return result.ExitCode == 0
            ? [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : throw new InvalidOperationException($"tshark: {result}");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        foreach (var ns in _namespaces)
        {
            using var delete = new ChildProcess("/usr/bin/ip", ["netns", "del", ns]);
            delete.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private ChildProcess Start(string file, IEnumerable<string> args)
    {
        var process = new ChildProcess(file, args);
        _processes.Add(process);
        return process;
    }

    private static async Task Ip(params string[] args)
    {
        var result = await ChildProcess.RunAsync("/usr/bin/ip", args, TimeSpan.FromSeconds(15));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {result}");
        }
    }
}
