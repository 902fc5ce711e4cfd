using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests;

/// <summary>Rules over ESP-NULL cleartext: the same traffic plain and inside ESP-NULL (captures/synthetic/rules, made by
/// tests/generators/gen_rules_corpus.py) gives the same alerts, and so does the --write-inner export of the ESP capture.</summary>
public sealed class RuleGoldenTests
{
    private static readonly string s_rules = Path.Combine(RepositoryPaths.Root, "tests", "Visibility.Captures.Tests", "Rules", "transparency.rules");

    private sealed record Alert(long Frame, uint Sid, string Src, string Dest, string Proto, bool Decapsulated, bool WouldDrop);

    private static List<Alert> Alerts(string capture, string rules, string? writeInner = null)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-rules-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var options = new ReplayOptions { Files = [capture], EvePath = eve, RulesPath = rules, WriteInnerPath = writeInner, Quiet = true };
            Assert.Equal(0, new ReplayRunner(options, TextWriter.Null, TextWriter.Null).Run());
            return File.ReadLines(eve).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.GetProperty("event_type").GetString() == "alert")
                .Select(e => new Alert(
                    e.GetProperty("pcap_cnt").GetInt64(),
                    e.GetProperty("alert").GetProperty("signature_id").GetUInt32(),
                    e.GetProperty("src_ip").GetString()!,
                    e.GetProperty("dest_ip").GetString()!,
                    e.GetProperty("proto").GetString()!,
                    e.GetProperty("alert").GetProperty("decapsulated").GetBoolean(),
                    e.GetProperty("alert").TryGetProperty("would_drop", out JsonElement d) && d.GetBoolean()))
                .ToList();
        }
        finally
        {
            File.Delete(eve);
        }
    }

    [Fact]
    public void EspNull_SameAlertsAsThePlainTraffic()
    {
        List<Alert> plain = Alerts(RepositoryPaths.Capture("synthetic/rules/plain.pcap"), s_rules);
        List<Alert> esp = Alerts(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"), s_rules);

        // Every rule of the file fires on the plain traffic: the test covers them all.
        Assert.Equal(Enumerable.Range(1001, 9).Select(i => (uint)i), plain.Select(a => a.Sid).Distinct().Order());
        Assert.All(esp, a => Assert.True(a.Decapsulated));
        Assert.Equal(plain.Select(a => (a.Frame, a.Sid, a.Src, a.Dest, a.Proto, a.WouldDrop)), esp.Select(a => (a.Frame, a.Sid, a.Src, a.Dest, a.Proto, a.WouldDrop)));
    }

    /// <summary>An <c>ip</c> rule sees the inner packet of ESP-NULL traffic, not the ESP packet that carried it as
    /// well: one alert per packet, as on the plain traffic; <c>esp</c> rules still see the ESP packets.</summary>
    [Fact]
    public void IpRule_EspNull_AlertsOnceOnTheInnerPacket_EspRulesSeeTheEspPacket()
    {
        string folder = Directory.CreateTempSubdirectory("visibility-rules-ip-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "ip.rules"),
                "alert ip any any -> any any (msg:\"ip content\"; content:\"Authorization\"; sid:1;)\n"
                + "alert esp any any -> any any (msg:\"esp null\"; esp.verdict:null; sid:2;)\n");
            List<Alert> plain = Alerts(RepositoryPaths.Capture("synthetic/rules/plain.pcap"), folder);
            List<Alert> esp = Alerts(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"), folder);

            Assert.NotEmpty(plain);
            Assert.Equal(plain.Select(a => (a.Frame, a.Sid, a.Proto)), esp.Where(a => a.Sid == 1).Select(a => (a.Frame, a.Sid, a.Proto)));
            Assert.DoesNotContain(esp, a => a.Sid == 1 && a.Proto == "ESP");
            Assert.Contains(esp, a => a.Sid == 2 && a.Proto == "ESP");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WriteInnerExport_SameAlertsAsTheEspCapture()
    {
        string inner = Path.Combine(Path.GetTempPath(), "visibility-rules-inner-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            List<Alert> esp = Alerts(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"), s_rules, inner);
            List<Alert> exported = Alerts(inner, s_rules);
            Assert.NotEmpty(esp);
            Assert.Equal(esp.Select(a => (a.Sid, a.Src, a.Dest, a.Proto)), exported.Select(a => (a.Sid, a.Src, a.Dest, a.Proto)));
        }
        finally
        {
            File.Delete(inner);
        }
    }

    [Fact]
    public void ShippedRules_FlagCleartextCredentialsInsideEspNull_NotInPlainTraffic()
    {
        string shipped = Path.Combine(RepositoryPaths.Root, "rules");
        HashSet<uint> esp = Alerts(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"), shipped).Select(a => a.Sid).ToHashSet();
        HashSet<uint> plain = Alerts(RepositoryPaths.Capture("synthetic/rules/plain.pcap"), shipped).Select(a => a.Sid).ToHashSet();
        foreach (uint sid in new uint[] { 2201001, 2201011, 2201012, 2201031, 2203001 })
        {
            Assert.Contains(sid, esp);
            Assert.DoesNotContain(sid, plain);
        }
    }

    [Fact]
    public void IkeNotifyKeyword_SeesTheClearNotifiesOfEachMessage()
    {
        string rules = Path.Combine(Path.GetTempPath(), "visibility-ike-" + Guid.NewGuid().ToString("N") + ".rules");
        try
        {
            File.WriteAllText(rules, """
                alert ike any any -> any any (msg:"COOKIE"; ike.notify:COOKIE; sid:3001;)
                alert ike any any -> any any (msg:"INVALID_KE_PAYLOAD"; ike.notify:INVALID_KE_PAYLOAD; sid:3002;)
                alert ike any any -> any any (msg:"REDIRECT"; ike.notify:REDIRECT; sid:3003;)
                """);
            List<Alert> alerts = Alerts(RepositoryPaths.Capture("public/nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap"), rules);
            // The capture's IKE_SA_INIT exchanges carry COOKIE and INVALID_KE_PAYLOAD notifies in clear, and no REDIRECT.
            Assert.Contains(alerts, a => a.Sid == 3001);
            Assert.Contains(alerts, a => a.Sid == 3002);
            Assert.DoesNotContain(alerts, a => a.Sid == 3003);
            Assert.All(alerts, a => Assert.Equal("UDP", a.Proto));
        }
        finally
        {
            File.Delete(rules);
        }
    }
}
