using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Visibility.Cli.Capture;
using Visibility.Integration.Tests.Infrastructure;
using Visibility.Wire;
using Visibility.Wire.Pcap;
using Xunit.Abstractions;

namespace Visibility.Integration.Tests;

/// <summary><c>visibility inline</c> between two namespaces made by the test: A sends real frames (ESP-NULL and
/// encrypted ESP captures replayed with scapy, plain UDP and TCP, the kernels' own ping and TCP) through the
/// sensor's two ports to B; B records what arrives with tcpdump. Nothing leaves the test's namespaces.</summary>
[Collection(ProcessCollection.Name)]
public sealed class InlineCommandTests : IDisposable
{
    private const int UdpCount = 30;
    private const int TcpCount = 8;
    private const string Rules = """
        drop udp any any -> any 9999 (msg:"inline test: marked datagram"; content:"DROPME"; sid:9000001; rev:1;)
        drop tcp 10.1.0.10 any -> 10.2.0.20 80 (msg:"inline test: HTTP request inside ESP-NULL"; content:"GET /"; sid:9000002; rev:1;)
        """;

    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-inline-").FullName;
    private readonly ITestOutputHelper _output;

    public InlineCommandTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap | Prerequisite.Tcpdump)]
    public void Inline_DropRules_PeerReceivesExactlyTheOtherFramesInOrder() => DropRules(workers: 1);

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap | Prerequisite.Tcpdump)]
    public void Inline_TwoWorkersDropRules_PeerReceivesExactlyTheOtherFramesInOrder() => DropRules(workers: 2);

    /// <summary>The drop rules over ESP-NULL, encrypted ESP, plain UDP and TCP, and the kernels' own traffic, with
    /// the frames spread over <paramref name="workers"/> engines.</summary>
    private void DropRules(int workers)
    {
        using InlineTopology net = InlineTopology.Create();
        string eve = Path.Combine(_dir, "eve.json");
        string innerPath = Path.Combine(_dir, "inner.pcap");
        using SensorProcess sensor = StartSensor(net, eve, "--verdict-timeout", "2000", "--write-inner", innerPath, "--workers", workers.ToString(CultureInfo.InvariantCulture));

        string pcap = Path.Combine(_dir, "b.pcap");
        using Process receiver = net.StartReceiverB(pcap);
        string[] espNull =
        [
            RepositoryPaths.Capture("synthetic__esp-null_hmac-sha1-96_ipv4-tunnel.pcap"),
            RepositoryPaths.Capture("synthetic__esp-null_hmac-sha256-128_udpencap4500-transport.pcap"),
        ];
        Sent sent = Send(net, UdpCount, TcpCount,
            espNull[0],
            espNull[1],
            RepositoryPaths.Capture("tcpdump__tests__08-sunrise-sunset-aes.pcap"),
            RepositoryPaths.IpsecCapture);
        // Every third marked datagram, and the one HTTP request inside ESP-NULL.
        Assert.Equal((UdpCount / 3) + 1, sent.Drop);
        if (workers > 1)
        {
            // The address pairs of what was sent keep every engine busy, so the run proves the spread.
            var shard = new ShardKey(workers);
            int[] perEngine = new int[workers];
            foreach (byte[] frame in sent.Frames.Select(f => Convert.FromHexString(f.Hex)))
            {
                perEngine[shard.WorkerOf(frame, LinkType.Ethernet, frame.Length)]++;
            }
            _output.WriteLine($"frames per engine: {string.Join(", ", perEngine)}");
            Assert.All(perEngine, n => Assert.True(n > 0, "every frame sent shards to one engine"));
        }

        string metrics = WaitForMetrics(net, sensor, $"visibility_inline_frames_total{{direction=\"in_to_out\",decision=\"drop\"}} {sent.Drop}\n",
            $"visibility_inline_frames_total{{direction=\"in_to_out\",decision=\"pass\"}} {sent.Total - sent.Drop}\n");
        List<string> received = StopReceiver(receiver, pcap);
        Assert.Equal(sent.Frames.Where(f => !f.Drop).Select(f => f.Hex).ToList(), received);
        Assert.Contains("visibility_inline_frames_total{direction=\"in_to_out\",decision=\"fail_open\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("visibility_inline_failures_total{reason=\"timeout\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"visibility_packets_total{{source=\"{net.PortA}\"}} {sent.Total}\n", metrics, StringComparison.Ordinal);
        Assert.True(MetricValue(metrics, "visibility_inline_verdict_seconds_count") >= sent.Total, metrics);
        LogHistogram(metrics);

        // Both directions, from the kernels' own stacks: ARP, ping, and a TCP exchange whose digest must match.
        (int pingCode, string ping) = InlineTopology.Exec(net.NamespaceA, "ping", "-c", "3", "-i", "0.2", "-W", "2", InlineTopology.AddressB);
        Assert.True(pingCode == 0, "ping through the bridge failed: " + ping);
        using (Process server = StartTcpServer(net))
        {
            (int tcpCode, string tcp) = InlineTopology.Exec(net.NamespaceA, Prerequisites.Python, RepositoryPaths.Script("inline_tcp.py"), "fetch",
                InlineTopology.AddressB, "8080", "300000");
            Assert.True(tcpCode == 0 && tcp.Trim() == "match", "TCP through the bridge failed: " + tcp + server.StandardError.ReadToEnd());
            Assert.True(server.WaitForExit(10_000));
        }

        sensor.Signal("TERM");
        int exit = sensor.WaitForExit(s_exitTimeout);
        Assert.True(exit == 0, $"exit {exit}: {sensor.StandardError}");
        List<JsonElement> records = EveFile.Read(eve);
        Assert.Equal("stats", records[^1].GetProperty("event_type").GetString());
        List<JsonElement> alerts = records.OfType("alert").Select(r => r.GetProperty("alert")).ToList();
        Assert.Equal(UdpCount / 3, alerts.Count(a => a.GetProperty("signature_id").GetInt64() == 9000001));
        JsonElement inner = Assert.Single(alerts, a => a.GetProperty("signature_id").GetInt64() == 9000002);
        Assert.True(inner.GetProperty("decapsulated").GetBoolean());
        Assert.All(alerts, a => Assert.Equal("blocked", a.GetProperty("action").GetString()));
        Assert.All(alerts, a => Assert.False(a.TryGetProperty("would_drop", out _)));
        // stats.detect: every alert here is a drop rule's, so all of them were blocked.
        JsonElement detect = records[^1].GetProperty("stats").GetProperty("detect");
        Assert.Equal(alerts.Count, detect.GetProperty("alert").GetInt64());
        Assert.Equal(alerts.Count, detect.GetProperty("blocked").GetInt64());
        Assert.False(detect.TryGetProperty("would_drop", out _));

        List<JsonElement> flows = records.OfType("flow").ToList();
        JsonElement udp = Assert.Single(flows, f => f.GetProperty("proto").GetString() == "UDP" && f.GetProperty("dest_port").GetInt32() == 9999);
        Assert.Equal(UdpCount, udp.GetProperty("flow").GetProperty("pkts_toserver").GetInt64());
        JsonElement tcpFlow = Assert.Single(flows, f => f.GetProperty("proto").GetString() == "TCP" && f.GetProperty("dest_port").GetInt32() == 8080);
        Assert.True(tcpFlow.GetProperty("flow").GetProperty("pkts_toclient").GetInt64() > 0, "the flow's replies were not inspected");
        Assert.Contains(flows, f => f.TryGetProperty("esp", out JsonElement esp) && esp.GetProperty("verdict").GetString() == "null");
        Assert.Contains(flows, f => f.TryGetProperty("esp", out JsonElement esp) && esp.GetProperty("verdict").GetString() == "encrypted");

        // --write-inner: every cleartext packet of the ESP-NULL captures, as replay exports them, is in the file.
        string expectedInner = Path.Combine(_dir, "replay-inner.pcap");
        using (SensorProcess replay = SensorProcess.Start(["replay", .. espNull, "--write-inner", expectedInner, "--quiet"]))
        {
            Assert.Equal(0, replay.WaitForExit(s_exitTimeout));
        }
        List<string> expected = InnerPackets(expectedInner);
        Assert.NotEmpty(expected);
        List<string> exported = InnerPackets(innerPath);
        foreach (string packet in expected)
        {
            Assert.True(exported.Remove(packet), "inner packet missing from the inline export: " + packet);
        }

        using JsonDocument summary = JsonDocument.Parse(sensor.StandardOutput);
        JsonElement aToB = summary.RootElement.GetProperty("directions")[0];
        JsonElement bToA = summary.RootElement.GetProperty("directions")[1];
        Assert.Equal(sent.Drop, aToB.GetProperty("dropped").GetInt64());
        Assert.Equal(0, aToB.GetProperty("fail_open").GetInt64() + bToA.GetProperty("fail_open").GetInt64());
        Assert.True(bToA.GetProperty("passed").GetInt64() > 0);
        JsonElement latency = summary.RootElement.GetProperty("verdict_latency_us");
        _output.WriteLine($"summary verdict latency (us): p50 {latency.GetProperty("p50")}, p90 {latency.GetProperty("p90")}, p99 {latency.GetProperty("p99")}, max {latency.GetProperty("max")} over {latency.GetProperty("frames")} frames");
    }

    [Fact]
    public void Inline_Help_ListsTheSharedOutputOptions()
    {
        using SensorProcess help = SensorProcess.Start(["inline", "--help"]);
        Assert.Equal(0, help.WaitForExit(s_exitTimeout));
        string text = help.StandardOutput;
        foreach (string option in new[] { "--eve", "--write-inner", "--rules", "--set", "--plugins", "--keys", "--summary", "--quiet", "--metrics-listen", "--workers" })
        {
            Assert.Contains(option + " ", text, StringComparison.Ordinal);
        }
        Assert.Contains("'drop' rules block", text, StringComparison.Ordinal);
        Assert.Contains("drop-rule alerts say action \"blocked\"", text, StringComparison.Ordinal);
    }

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Libpcap)]
    public void Inline_PacedPing_EveryFrameInTheVerdictHistogram()
    {
        using InlineTopology net = InlineTopology.Create();
        string eve = Path.Combine(_dir, "paced.json");
        using SensorProcess sensor = StartSensor(net, eve);
        // One echo every 10 ms: no queue builds up, so the histogram shows the bridge's own verdict latency.
        (int code, string ping) = InlineTopology.Exec(net.NamespaceA, "ping", "-c", "300", "-i", "0.01", "-q", InlineTopology.AddressB);
        Assert.True(code == 0, "ping through the bridge failed: " + ping);
        string metrics = WaitForMetrics(net, sensor, "visibility_inline_frames_total{direction=\"out_to_in\",decision=\"pass\"} ");
        double frames = MetricValue(metrics, "visibility_inline_verdict_seconds_count");
        // 300 requests and 300 replies, plus the ARP exchange.
        Assert.True(frames >= 600, metrics);
        Assert.True(MetricValue(metrics, "visibility_inline_verdict_seconds_sum") > 0, metrics);
        LogHistogram(metrics);

        sensor.Signal("TERM");
        Assert.Equal(0, sensor.WaitForExit(s_exitTimeout));
        using JsonDocument summary = JsonDocument.Parse(sensor.StandardOutput);
        JsonElement latency = summary.RootElement.GetProperty("verdict_latency_us");
        // The kernels may refresh their neighbour entries (ARP) after the scrape: never fewer frames than scraped.
        Assert.True(latency.GetProperty("frames").GetInt64() >= (long)frames);
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        _output.WriteLine($"summary verdict latency (us): p50 {latency.GetProperty("p50")}, p90 {latency.GetProperty("p90")}, p99 {latency.GetProperty("p99")}, max {latency.GetProperty("max")} over {latency.GetProperty("frames")} frames");
    }

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap | Prerequisite.Tcpdump)]
    public void Inline_EngineStalled_FailOpenForwardsEveryFrameInOrder()
    {
        using InlineTopology net = InlineTopology.Create();
        string eve = Path.Combine(_dir, "stalled.json");
        using SensorProcess sensor = StartSensor(net, eve, "--verdict-timeout", "5", "--test-engine-delay", "300");
        string pcap = Path.Combine(_dir, "stalled.pcap");
        using Process receiver = net.StartReceiverB(pcap);
        Sent sent = Send(net, UdpCount, 0);

        WaitForMetrics(net, sensor, $"visibility_inline_frames_total{{direction=\"in_to_out\",decision=\"fail_open\"}} {sent.Total}\n");
        List<string> received = StopReceiver(receiver, pcap);
        // The marked datagrams too: a stalled engine judged none of them, and fail-open lets everything through.
        Assert.Equal(sent.Frames.Select(f => f.Hex).ToList(), received);

        sensor.Signal("TERM");
        Assert.Equal(0, sensor.WaitForExit(s_exitTimeout));
        Assert.Empty(EveFile.Read(eve).OfType("alert"));
        using JsonDocument summary = JsonDocument.Parse(sensor.StandardOutput);
        JsonElement aToB = summary.RootElement.GetProperty("directions")[0];
        Assert.Equal(sent.Total, aToB.GetProperty("fail_open").GetInt64());
        Assert.Equal(0, aToB.GetProperty("passed").GetInt64());
        Assert.Equal(0, aToB.GetProperty("dropped").GetInt64());
        Assert.True(aToB.GetProperty("timeouts").GetInt64() >= 1);
        Assert.Equal(sent.Total, aToB.GetProperty("timeouts").GetInt64() + aToB.GetProperty("busy").GetInt64());
    }

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap | Prerequisite.Tcpdump)]
    public void Inline_EngineStalledFailClosed_ForwardsNothingAndCountsIt()
    {
        using InlineTopology net = InlineTopology.Create();
        string eve = Path.Combine(_dir, "closed.json");
        using SensorProcess sensor = StartSensor(net, eve, "--verdict-timeout", "5", "--test-engine-delay", "300", "--fail-closed");
        string pcap = Path.Combine(_dir, "closed.pcap");
        using Process receiver = net.StartReceiverB(pcap);
        Sent sent = Send(net, UdpCount, 0);

        string metrics = WaitForMetrics(net, sensor, $"visibility_inline_frames_total{{direction=\"in_to_out\",decision=\"fail_closed\"}} {sent.Total}\n");
        Assert.Contains("visibility_inline_frames_total{direction=\"in_to_out\",decision=\"fail_open\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Empty(StopReceiver(receiver, pcap));

        sensor.Signal("TERM");
        Assert.Equal(0, sensor.WaitForExit(s_exitTimeout));
        using JsonDocument summary = JsonDocument.Parse(sensor.StandardOutput);
        Assert.Equal(sent.Total, summary.RootElement.GetProperty("directions")[0].GetProperty("fail_closed").GetInt64());
    }

    [Fact]
    public void Inline_SameInterfaceTwice_UsageErrorExitOne()
    {
        using SensorProcess sensor = SensorProcess.Start(["inline", "--in", "lo", "--out", "lo"]);
        Assert.Equal(1, sensor.WaitForExit(s_exitTimeout));
        Assert.Contains("--in and --out are the same interface (lo); a bridge needs two", sensor.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_WorkersOutOfRange_UsageErrorExitOne()
    {
        using SensorProcess sensor = SensorProcess.Start(["inline", "--in", "lo", "--out", "vis-nosuch0", "--workers", "0"]);
        Assert.Equal(1, sensor.WaitForExit(s_exitTimeout));
        Assert.Contains("--workers must be between 1 and 64", sensor.StandardError, StringComparison.Ordinal);
    }

    [RequiresFact(Prerequisite.Libpcap)]
    public void Inline_NoSuchInterface_OneLineErrorExitTwo()
    {
        using SensorProcess sensor = SensorProcess.Start(["inline", "--in", "lo", "--out", "vis-nosuch0"]);
        Assert.Equal(2, sensor.WaitForExit(s_exitTimeout));
        Assert.Equal("visibility: error: vis-nosuch0: no such interface", sensor.StandardError.Trim());
    }

    [RequiresFact(Prerequisite.UnprivilegedRun | Prerequisite.Libpcap)]
    public void Inline_WithoutCaptureRights_PermissionDeniedExitTwo()
    {
        using SensorProcess sensor = SensorProcess.StartAs("nobody", ["inline", "--in", "lo", "--out", "vis-nosuch0"]);
        Assert.Equal(2, sensor.WaitForExit(s_exitTimeout));
        string error = sensor.StandardError.Trim();
        Assert.StartsWith("visibility: error: lo: cannot open: permission denied", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    /// <summary>The packets of a raw-IP pcap, as hex.</summary>
    private static List<string> InnerPackets(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using CaptureFileReader reader = CaptureFileReader.Open(stream);
        var packets = new List<string>();
        while (reader.TryReadNext(out CaptureRecord record))
        {
            Assert.Equal(Visibility.Wire.LinkType.Raw, record.LinkType);
            packets.Add(Convert.ToHexString(record.Data));
        }
        return packets;
    }

    private SensorProcess StartSensor(InlineTopology net, string eve, params string[] extra)
    {
        string rules = Path.Combine(_dir, "inline.rules");
        File.WriteAllText(rules, Rules);
        SensorProcess sensor = SensorProcess.Start(
            ["inline", "--in", net.PortA, "--out", net.PortB, "--rules", rules, "--eve", eve, "--summary", "json", "--metrics-listen", "127.0.0.1:9580", .. extra],
            net.SensorNamespace);
        Assert.True(sensor.WaitForError("bridging", TimeSpan.FromSeconds(30)), "sensor did not start: " + sensor.StandardError);
        return sensor;
    }

    private Sent Send(InlineTopology net, int udp, int tcp, params string[] captures)
    {
        string json = Path.Combine(_dir, $"sent-{Guid.NewGuid():N}.json");
        (int code, string output) = InlineTopology.Exec(net.NamespaceA, Prerequisites.Python,
            [RepositoryPaths.Script("inline_send.py"), net.InterfaceA, net.MacA, net.MacB, json,
             udp.ToString(CultureInfo.InvariantCulture), tcp.ToString(CultureInfo.InvariantCulture), .. captures]);
        Assert.True(code == 0, "scapy failed: " + output);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        var frames = document.RootElement.GetProperty("frames").EnumerateArray()
            .Select(f => new SentFrame(f.GetProperty("hex").GetString()!, f.GetProperty("drop").GetBoolean())).ToList();
        return new Sent(frames, frames.Count, frames.Count(f => f.Drop));
    }

    /// <summary>Scrapes the sensor (inside its namespace) until every expected line is there; returns the last scrape.</summary>
    private static string WaitForMetrics(InlineTopology net, SensorProcess sensor, params string[] expected)
    {
        string metrics = string.Empty;
        var clock = Stopwatch.StartNew();
        // Generous: on a loaded machine every frame costs two thread wake-ups.
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            (int code, metrics) = InlineTopology.Exec(net.SensorNamespace, Prerequisites.Python, "-c",
                "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:9580/metrics').read().decode())");
            Assert.True(code == 0 || !sensor.HasExited, "metrics unreachable: " + metrics + sensor.StandardError);
            if (expected.All(e => metrics.Contains(e, StringComparison.Ordinal)))
            {
                return metrics;
            }
            Thread.Sleep(250);
        }
        Assert.Fail($"metrics never showed {string.Join(", ", expected)}:\n{metrics}");
        return metrics;
    }

    /// <summary>Stops tcpdump (SIGINT flushes its file) and returns the frames B received, in order, as hex.</summary>
    private static List<string> StopReceiver(Process receiver, string pcap)
    {
        // Give the last forwarded frames time to reach B's socket before the capture ends.
        Thread.Sleep(300);
        (int code, string output) = Prerequisites.Run("kill", "-s", "INT", receiver.Id.ToString(CultureInfo.InvariantCulture));
        Assert.True(code == 0, output);
        Assert.True(receiver.WaitForExit(10_000), "tcpdump did not stop");
        var frames = new List<string>();
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(pcap));
        while (reader.TryReadNext(out CaptureRecord record))
        {
            Assert.False(record.IsTruncated);
            frames.Add(Convert.ToHexStringLower(record.Data));
        }
        return frames;
    }

    private static Process StartTcpServer(InlineTopology net)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["netns", "exec", net.NamespaceB, Prerequisites.Python, RepositoryPaths.Script("inline_tcp.py"), "serve", InlineTopology.AddressB, "8080"])
        {
            info.ArgumentList.Add(arg);
        }
        Process server = Process.Start(info)!;
        Assert.Equal("listening", server.StandardOutput.ReadLine());
        return server;
    }

    private static double MetricValue(string metrics, string name)
    {
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    /// <summary>Writes p50 and p99 of <c>visibility_inline_verdict_seconds</c> as Prometheus' histogram_quantile
    /// computes them (linear within the bucket).</summary>
    private void LogHistogram(string metrics)
    {
        var buckets = new List<(double Le, double Count)>();
        foreach (string line in metrics.Split('\n'))
        {
            const string prefix = "visibility_inline_verdict_seconds_bucket{le=\"";
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                int end = line.IndexOf('"', prefix.Length);
                string le = line[prefix.Length..end];
                buckets.Add((le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture),
                    double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)));
            }
        }
        double total = buckets[^1].Count;
        foreach (double q in (double[])[0.5, 0.99])
        {
            double rank = q * total, lower = 0, below = 0;
            foreach ((double le, double count) in buckets)
            {
                if (count >= rank)
                {
                    double value = double.IsInfinity(le) ? lower : lower + ((le - lower) * (rank - below) / Math.Max(1, count - below));
                    _output.WriteLine($"visibility_inline_verdict_seconds p{q * 100:0}: {value * 1e6:0.#} us ({total} frames)");
                    break;
                }
                lower = le;
                below = count;
            }
        }
    }

    private sealed record SentFrame(string Hex, bool Drop);

    private sealed record Sent(List<SentFrame> Frames, int Total, int Drop);
}
