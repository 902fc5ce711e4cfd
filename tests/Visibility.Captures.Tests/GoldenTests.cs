using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests;

/// <summary>Golden tests: for every capture in captures/, the packet count, the per-protocol counts and the TCP/UDP
/// conversations equal what tshark reports for the same file (recorded by Oracle/record.sh).</summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Captures() =>
        new(RepositoryPaths.AllCaptures().Where(c => File.Exists(OraclePath(c) + ".protocols") && !c.EndsWith(".inner.pcap", StringComparison.Ordinal)));

    /// <summary>Where the sensor's count differs from tshark's on purpose: (capture, counter) -> why. Counters listed
    /// here are not compared for that capture; every other counter must match.</summary>
    private static readonly Dictionary<(string Capture, string Counter), string> s_knownDifferences = new()
    {
        [("public/zeek__testing__btest__Traces__nflog-http.pcap", "ipv4")] = "NFLOG (link type 239) is not decoded: link.unsupported_type",
        [("public/zeek__testing__btest__Traces__nflog-http.pcap", "tcp")] = "NFLOG is not decoded",
        [("public/zeek__testing__btest__Traces__nflog-http.pcap", "conversations")] = "NFLOG is not decoded",
        [("public/synthetic__pcapng-sections-interfaces.pcapng", "ipv4")] = "reader fixture with filler payloads: tshark counts 'Bogus IP version' frames as IP, the sensor raises ipv4.wrong_ip_version",
        [("public/tcpdump__tests__isakmp-rfc3948-oobr.pcap", "udp")] = "fuzzed UDP length beyond the datagram: udp.len_invalid, not counted as UDP",
        [("public/tcpdump__tests__isakmp-rfc3948-oobr.pcap", "conversations")] = "fuzzed UDP length: no flow for an invalid header",
        [("public/tcpdump__tests__isakmp-3948-oobr-2.pcap", "udp")] = "fuzzed UDP length beyond the datagram: udp.len_invalid",
        [("public/tcpdump__tests__isakmp-3948-oobr-2.pcap", "conversations")] = "fuzzed UDP length: no flow for an invalid header",
        [("public/tcpdump__tests__esp_truncated.pcap", "udp")] = "a first IP fragment cut by the snap length: the sensor counts transport layers once per reassembled datagram, and this one can never be reassembled",
        [("public/tcpdump__tests__esp_truncated.pcap", "esp_udp")] = "the same never-reassembled first fragment",
        [("public/tcpdump__tests__esp_truncated.pcap", "conversations")] = "fragment never reassembled, so no UDP flow",
        [("public/zeek-spicy-ipsec__tests__traces__ipsec-ikev1-zero-length.pcap", "ike")] = "UDP 500 is IKE by port for the sensor; tshark shows this zero-length ISAKMP as data",
        [("synthetic/esp/wesp.pcap", "esp_udp")] = "tshark does not know WESP: it reads WESP in UDP as ESP with SPI 2; the sensor counts it as WESP",
        [("synthetic/esp/wesp-malformed.pcap", "esp_udp")] = "tshark does not know WESP (see wesp.pcap)",
        [("synthetic/peer/wesp/capture.pcap", "esp_udp")] = "tshark does not know WESP (see synthetic/esp/wesp.pcap)",
    };

    private static string OraclePath(string capture) => Path.Combine(RepositoryPaths.Root, "tests", "Visibility.Captures.Tests", "Oracle", capture);

    [Theory]
    [MemberData(nameof(Captures))]
    public void ProtocolCounts_EqualTshark(string capture)
    {
        Dictionary<string, long> expected = TsharkCounts.FromProtocols(File.ReadAllLines(OraclePath(capture) + ".protocols"));
        ReplayHarness.Result result = ReplayHarness.Run([RepositoryPaths.Capture(capture)], SummaryFormat.Json);
        using JsonDocument summary = JsonDocument.Parse(result.Stdout);
        JsonElement root = summary.RootElement;
        var actual = new Dictionary<string, long> { ["packets"] = root.GetProperty("packets").GetInt64() };
        foreach (JsonProperty p in root.GetProperty("protocols").EnumerateObject())
        {
            actual[p.Name] = p.Value.GetInt64();
        }
        foreach ((string name, long count) in expected)
        {
            if (s_knownDifferences.ContainsKey((capture, name)))
            {
                continue;
            }
            Assert.True(actual.TryGetValue(name, out long ours) && ours == count, $"{capture}: {name}: tshark {count}, ours {(actual.TryGetValue(name, out long v) ? v : -1)}");
        }
    }

    [Fact]
    public void KnownDifferences_NameCapturesThatExist()
    {
        foreach ((string capture, string counter) in s_knownDifferences.Keys)
        {
            Assert.True(File.Exists(RepositoryPaths.Capture(capture)), capture);
            Assert.False(string.IsNullOrWhiteSpace(s_knownDifferences[(capture, counter)]));
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Conversations_EqualTshark(string capture)
    {
        Dictionary<string, long> conv = File.ReadAllLines(OraclePath(capture) + ".conv")
            .Select(l => l.Split('\t')).ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        ReplayHarness.Result result = ReplayHarness.Run([RepositoryPaths.Capture(capture)], quiet: true);
        var tcp = new HashSet<string>();
        var udp = new HashSet<string>();
        foreach (string line in result.EveLines)
        {
            JsonElement e = JsonDocument.Parse(line).RootElement;
            if (e.GetProperty("event_type").GetString() != "flow")
            {
                continue;
            }
            string proto = e.GetProperty("proto").GetString()!;
            if (proto is not ("TCP" or "UDP"))
            {
                continue;
            }
            // tshark's conversations are address/port pairs; ESP-in-UDP SAs of one pair are one conversation there.
            string a = $"{e.GetProperty("src_ip").GetString()}/{e.GetProperty("src_port").GetInt32()}";
            string b = $"{e.GetProperty("dest_ip").GetString()}/{e.GetProperty("dest_port").GetInt32()}";
            string pair = string.CompareOrdinal(a, b) < 0 ? a + " " + b : b + " " + a;
            (proto == "TCP" ? tcp : udp).Add(pair);
        }
        if (s_knownDifferences.ContainsKey((capture, "conversations")))
        {
            return;
        }
        Assert.Equal(conv["tcp"], tcp.Count);
        Assert.Equal(conv["udp"], udp.Count);
    }
}
