using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests;

/// <summary>Golden tests: for every capture in captures/, the packet count, the per-protocol counts and the TCP/UDP
/// conversations equal what tshark reports for the same file (recorded by Oracle/record.sh).</summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Captures() =>
        new(RepositoryPaths.AllCaptures().Where(c => File.Exists(OraclePath(c) + ".protocols") && !c.EndsWith(".inner.pcap", StringComparison.Ordinal)));

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
            Assert.True(actual.TryGetValue(name, out long ours) && ours == count, $"{capture}: {name}: tshark {count}, ours {(actual.TryGetValue(name, out long v) ? v : -1)}");
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
        Assert.Equal(conv["tcp"], tcp.Count);
        Assert.Equal(conv["udp"], udp.Count);
    }
}
