using System.Text.Json;
using Visibility.Cli.Metrics;

namespace Visibility.Integration.Tests.Units;

/// <summary><see cref="RuleMatchSink"/>: one count per EVE <c>alert</c> record, per rule.</summary>
public sealed class RuleMatchSinkTests
{
    [Theory]
    [InlineData("synthetic/esp/mix-110.pcap")]
    [InlineData("synthetic/esp/null-tls.pcap")]
    [InlineData("synthetic/peer/redirect-auth/capture.pcap")]
    public void RuleMatchSink_ShippedRules_CountsEqualAlertRecordsPerSignature(string capture)
    {
        var run = new MetricsTestRun(rules: true).Feed(capture);
        run.Pipeline.Finish();
        List<JsonElement> alerts = [.. run.TakeRecords().Where(r => r.GetProperty("event_type").GetString() == "alert")];
        var expected = alerts
            .GroupBy(r => (Sid: r.GetProperty("alert").GetProperty("signature_id").GetUInt32(),
                Action: r.GetProperty("alert").TryGetProperty("would_drop", out JsonElement d) && d.GetBoolean() ? "drop" : "alert"))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var actual = run.Rules.Entries.ToDictionary(e => (e.Sid, e.Action), e => e.Count);
        Assert.Equal(expected.OrderBy(e => e.Key.Sid), actual.OrderBy(e => e.Key.Sid));
        Assert.Equal(run.Pipeline.Counters.Alerts, actual.Values.Sum());
    }

    [Fact]
    public void RuleMatchSink_NoRules_NoEntries()
    {
        var run = new MetricsTestRun().Feed("synthetic/esp/mix-110.pcap");
        Assert.Empty(run.Rules.Entries);
    }
}
