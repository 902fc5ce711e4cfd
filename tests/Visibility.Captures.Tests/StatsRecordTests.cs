using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests;

/// <summary>The closing <c>stats</c> record's <c>detect</c>, <c>esp</c> and <c>ike</c> sections equal the counts of the
/// <c>alert</c>, ESP <c>flow</c>, <c>ike</c> and <c>ike_sa</c> records of the same EVE output, for one and for several
/// workers.</summary>
public sealed class StatsRecordTests
{
    private static readonly string s_rules = Path.Combine(RepositoryPaths.Root, "tests", "Visibility.Captures.Tests", "Rules", "transparency.rules");

    public static TheoryData<string, bool, int> Runs() => new()
    {
        { "synthetic/rules/esp-null.pcap", true, 1 },
        { "synthetic/rules/esp-null.pcap", true, 3 },
        { "synthetic/esp/mix-110.pcap", false, 1 },
        { "synthetic/ike/ss-redirect/capture.pcap", false, 1 },
        { "synthetic/peer/redirect-init/capture.pcap", false, 2 },
        { "synthetic/peer/eap-only/capture.pcap", false, 1 },
        { "synthetic/peer/qcd-crash/capture.pcap", false, 1 },
        { "public/nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap", false, 2 },
        { "public/tcpdump__tests__ikev2pI2.pcap", false, 1 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Stats_DetectEspIke_EqualTheRecordCounts(string capture, bool rules, int workers)
    {
        List<JsonElement> records = Replay(RepositoryPaths.Capture(capture), rules ? s_rules : EmptyRulesFolder(), workers);
        JsonElement stats = records.Single(r => Type(r) == "stats").GetProperty("stats");

        List<JsonElement> alerts = records.Where(r => Type(r) == "alert").ToList();
        JsonElement detect = stats.GetProperty("detect");
        Assert.Equal(alerts.Count, detect.GetProperty("alert").GetInt64());
        Assert.Equal(alerts.Count(a => a.GetProperty("alert").TryGetProperty("would_drop", out JsonElement d) && d.GetBoolean()),
            detect.GetProperty("would_drop").GetInt64());
        Assert.False(detect.TryGetProperty("blocked", out _));

        List<string> verdicts = records.Where(r => Type(r) == "flow" && r.TryGetProperty("esp", out _))
            .Select(r => r.GetProperty("esp").GetProperty("verdict").GetString()!).ToList();
        JsonElement esp = stats.GetProperty("esp");
        Assert.Equal(verdicts.Count, esp.GetProperty("sas").GetInt64());
        foreach (string verdict in new[] { "null", "encrypted", "unknown" })
        {
            Assert.Equal(verdicts.Count(v => v == verdict), esp.GetProperty(verdict).GetInt64());
        }

        List<JsonElement> messages = records.Where(r => Type(r) == "ike").Select(r => r.GetProperty("ike")).ToList();
        List<JsonElement> sas = records.Where(r => Type(r) == "ike_sa").Select(r => r.GetProperty("ike_sa")).ToList();
        JsonElement ike = stats.GetProperty("ike");
        Assert.Equal(messages.Count, ike.GetProperty("messages").GetInt64());
        Assert.Equal(messages.Count(m => m.GetProperty("version").GetInt32() == 1), ike.GetProperty("ikev1").GetInt64());
        Assert.Equal(sas.Count, ike.GetProperty("sas").GetInt64());
        Dictionary<string, long> outcomes = sas.GroupBy(s => s.GetProperty("outcome").GetString()!).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(outcomes.OrderBy(o => o.Key, StringComparer.Ordinal),
            ike.GetProperty("outcomes").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())).OrderBy(o => o.Key, StringComparer.Ordinal));
        Dictionary<string, long> events = messages.Where(m => m.TryGetProperty("events", out _))
            .SelectMany(m => m.GetProperty("events").EnumerateArray().Select(e => e.GetString()!))
            .GroupBy(e => e).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (JsonProperty e in ike.GetProperty("events").EnumerateObject())
        {
            Assert.Equal(events.GetValueOrDefault(e.Name), e.Value.GetInt64());
        }
        Assert.All(events.Keys, name => Assert.True(ike.GetProperty("events").TryGetProperty(name, out _), name));
    }

    [Fact]
    public void Stats_RedirectCapture_CountsTheRedirectEvent()
    {
        List<JsonElement> records = Replay(RepositoryPaths.Capture("synthetic/peer/redirect-init/capture.pcap"), EmptyRulesFolder(), 1);
        JsonElement ike = records.Single(r => Type(r) == "stats").GetProperty("stats").GetProperty("ike");
        Assert.True(ike.GetProperty("events").GetProperty("redirect").GetInt64() > 0);
        Assert.True(ike.GetProperty("sas").GetInt64() > 0);
    }

    [Fact]
    public void Stats_DropRule_CountsWouldDrop()
    {
        List<JsonElement> records = Replay(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"), s_rules, 1);
        JsonElement detect = records.Single(r => Type(r) == "stats").GetProperty("stats").GetProperty("detect");
        Assert.True(detect.GetProperty("would_drop").GetInt64() > 0);
        Assert.True(detect.GetProperty("alert").GetInt64() > detect.GetProperty("would_drop").GetInt64());
    }

    private static string Type(JsonElement record) => record.GetProperty("event_type").GetString()!;

    private static string EmptyRulesFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "visibility-stats-norules");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static List<JsonElement> Replay(string capture, string rules, int workers)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-stats-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var options = new ReplayOptions { Files = [capture], EvePath = eve, RulesPath = rules, Workers = workers, Quiet = true };
            Assert.Equal(0, new ReplayRunner(options, TextWriter.Null, TextWriter.Null).Run());
            return File.ReadLines(eve).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        }
        finally
        {
            File.Delete(eve);
        }
    }
}
