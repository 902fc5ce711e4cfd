using System.Text.Json;
using Visibility.Integration.Tests.Infrastructure;

namespace Visibility.Integration.Tests;

/// <summary><c>visibility live</c> on a real interface: a veth pair between two network namespaces made by the
/// test; traffic sent by scapy from the peer's side, captured by the sensor on its side.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LiveCommandTests : IDisposable
{
    private const int UdpCount = 25;
    private const int TcpCount = 7;
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-live-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap)]
    public void Live_VethTrafficThenSigterm_WritesFlowsAndStatsAndExitsZero() => CaptureVethTraffic(workers: 1);

    /// <summary>Three workers (frames spread by address pair, records merged by the capture thread) and the output
    /// options live shares with replay: the same flows, counters and metrics as one worker.</summary>
    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap)]
    public void Live_ThreeWorkersWithWriteInnerAndRules_SameFlowsAndCounters() => CaptureVethTraffic(workers: 3);

    private void CaptureVethTraffic(int workers)
    {
        using NetworkNamespacePair net = NetworkNamespacePair.Create();
        string eve = Path.Combine(_dir, "eve.json");
        string inner = Path.Combine(_dir, "inner.pcap");
        using SensorProcess sensor = SensorProcess.Start(
            ["live", "-i", net.SensorInterface, "--bpf", "net 192.0.2.0/24", "--eve", eve, "--summary", "json", "--metrics-listen", "127.0.0.1:9580",
                "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--write-inner", inner,
                "--rules", Path.Combine(RepositoryPaths.Root, "rules")],
            net.SensorNamespace);
        Assert.True(sensor.WaitForError("capturing on", TimeSpan.FromSeconds(30)), "sensor did not start: " + sensor.StandardError);

        (int code, string output) = Prerequisites.Run("ip", "netns", "exec", net.PeerNamespace, Prerequisites.Python,
            RepositoryPaths.Script("send_traffic.py"), RepositoryPaths.IpsecCapture, net.PeerInterface, net.PeerMac, net.SensorMac,
            UdpCount.ToString(System.Globalization.CultureInfo.InvariantCulture), TcpCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, "scapy failed: " + output);
        using JsonDocument sentDocument = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        JsonElement sent = sentDocument.RootElement;
        long total = sent.GetProperty("total").GetInt64();

        // The sensor's own loopback (its namespace) serves the metrics; read them once every frame is processed.
        string metrics = string.Empty;
        string expectedPackets = $"visibility_packets_total{{source=\"{net.SensorInterface}\"}} {total}\n";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string expectedEsp = $"visibility_esp_packets_total{{encap=\"udp\"}} {sent.GetProperty("esp_udp").GetInt64()}\n";
        // The capture thread counts a frame when it reads it, the workers when they have processed it.
        while (!(metrics.Contains(expectedPackets, StringComparison.Ordinal) && metrics.Contains(expectedEsp, StringComparison.Ordinal))
            && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(250);
            (int metricsCode, metrics) = Prerequisites.Run("ip", "netns", "exec", net.SensorNamespace, Prerequisites.Python, "-c",
                "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:9580/metrics').read().decode())");
            Assert.True(metricsCode == 0 || !sensor.HasExited, "metrics unreachable: " + metrics);
        }
        Assert.Contains(expectedPackets, metrics, StringComparison.Ordinal);
        Assert.Contains($"visibility_capture_drops_total{{iface=\"{net.SensorInterface}\"}} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains(expectedEsp, metrics, StringComparison.Ordinal);

        sensor.Signal("TERM");
        Assert.Equal(0, sensor.WaitForExit(s_exitTimeout));

        List<JsonElement> records = EveFile.Read(eve);
        JsonElement stats = Assert.Single(records.OfType("stats")).GetProperty("stats");
        Assert.Equal("stats", records[^1].GetProperty("event_type").GetString());
        Assert.Equal(total, stats.GetProperty("decoder").GetProperty("pkts").GetInt64());
        Assert.Equal(sent.GetProperty("esp_udp").GetInt64(), stats.GetProperty("decoder").GetProperty("esp_udp").GetInt64());
        Assert.Equal(sent.GetProperty("ike").GetInt64(), stats.GetProperty("decoder").GetProperty("ike").GetInt64());

        List<JsonElement> flows = records.OfType("flow").ToList();
        JsonElement udp = Assert.Single(flows, f => f.GetProperty("proto").GetString() == "UDP" && f.GetProperty("dest_port").GetInt32() == 9999);
        Assert.Equal(UdpCount, udp.GetProperty("flow").GetProperty("pkts_toserver").GetInt64());
        Assert.Equal("192.0.2.1", udp.GetProperty("src_ip").GetString());
        Assert.Equal("shutdown", udp.GetProperty("flow").GetProperty("reason").GetString());
        JsonElement tcp = Assert.Single(flows, f => f.GetProperty("proto").GetString() == "TCP" && f.GetProperty("dest_port").GetInt32() == 80);
        Assert.Equal(TcpCount, tcp.GetProperty("flow").GetProperty("pkts_toserver").GetInt64());
        List<JsonElement> esp = flows.Where(f => f.TryGetProperty("esp", out _)).ToList();
        Assert.NotEmpty(esp);
        Assert.All(esp, f => Assert.Equal("udp", f.GetProperty("esp").GetProperty("encap").GetString()));
        Assert.Equal(sent.GetProperty("esp_udp").GetInt64(), esp.Sum(f => f.GetProperty("flow").GetProperty("pkts_toserver").GetInt64()));
        Assert.All(flows, f => Assert.False(f.TryGetProperty("pcap_cnt", out _)));

        using JsonDocument summary = JsonDocument.Parse(sensor.StandardOutput);
        Assert.Equal(total, summary.RootElement.GetProperty("packets").GetInt64());
        JsonElement iface = Assert.Single(summary.RootElement.GetProperty("interfaces").EnumerateArray());
        Assert.Equal(net.SensorInterface, iface.GetProperty("name").GetString());
        Assert.Equal(0, iface.GetProperty("ring_overflows").GetInt64());
        Assert.True(iface.GetProperty("received").GetInt64() >= total);
        // --write-inner: a raw-IP pcap (link type 101), whatever held cleartext.
        byte[] header = File.ReadAllBytes(inner)[..24];
        Assert.Equal(101u, BitConverter.ToUInt32(header, 20));
    }

    [RequiresFact(Prerequisite.Libpcap)]
    public void Live_NoSuchInterface_OneLineErrorExitTwo()
    {
        using SensorProcess sensor = SensorProcess.Start(["live", "-i", "vis-nosuch0"]);
        Assert.Equal(2, sensor.WaitForExit(s_exitTimeout));
        Assert.Equal("visibility: error: vis-nosuch0: no such interface", sensor.StandardError.Trim());
    }

    [RequiresFact(Prerequisite.UnprivilegedRun | Prerequisite.Libpcap)]
    public void Live_WithoutCaptureRights_PermissionDeniedExitTwo()
    {
        using SensorProcess sensor = SensorProcess.StartAs("nobody", ["live", "-i", "lo"]);
        Assert.Equal(2, sensor.WaitForExit(s_exitTimeout));
        string error = sensor.StandardError.Trim();
        Assert.StartsWith("visibility: error: lo: cannot open: permission denied", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [RequiresFact(Prerequisite.Root | Prerequisite.Libpcap)]
    public void Live_BadBpf_OneLineErrorExitOne()
    {
        using SensorProcess sensor = SensorProcess.Start(["live", "-i", "lo", "--bpf", "udp port banana"]);
        Assert.Equal(1, sensor.WaitForExit(s_exitTimeout));
        string error = sensor.StandardError.Trim();
        Assert.StartsWith("visibility: error: lo: bad BPF filter 'udp port banana'", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [RequiresFact(Prerequisite.Root | Prerequisite.Libpcap)]
    public void Live_SigintWithoutTraffic_ExitsZeroWithStatsRecord()
    {
        string eve = Path.Combine(_dir, "idle.json");
        using SensorProcess sensor = SensorProcess.Start(["live", "-i", "lo", "--bpf", "udp port 9", "--eve", eve]);
        Assert.True(sensor.WaitForError("capturing on", TimeSpan.FromSeconds(30)), "sensor did not start: " + sensor.StandardError);
        sensor.Signal("INT");
        Assert.Equal(0, sensor.WaitForExit(s_exitTimeout));
        JsonElement last = EveFile.Read(eve)[^1];
        Assert.Equal("stats", last.GetProperty("event_type").GetString());
    }
}
