using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests;

/// <summary>The replay summaries (text and JSON) list the alerts per signature and the drop rules' "would drop"
/// counts, equal to the run's EVE <c>alert</c> records.</summary>
public sealed class ReplaySummaryTests
{
    private static readonly string s_rules = Path.Combine(RepositoryPaths.Root, "tests", "Visibility.Captures.Tests", "Rules", "transparency.rules");
    private static readonly string s_capture = RepositoryPaths.Capture("synthetic/rules/esp-null.pcap");

    [Fact]
    public void JsonSummary_AlertsBySignature_EqualTheEveAlerts()
    {
        (string summary, List<JsonElement> alerts) = Replay(SummaryFormat.Json);
        using JsonDocument document = JsonDocument.Parse(summary);
        JsonElement root = document.RootElement;
        Dictionary<uint, long> expected = alerts.GroupBy(a => a.GetProperty("signature_id").GetUInt32()).ToDictionary(g => g.Key, g => (long)g.Count());
        Dictionary<uint, long> listed = root.GetProperty("alerts").EnumerateArray()
            .ToDictionary(a => a.GetProperty("signature_id").GetUInt32(), a => a.GetProperty("count").GetInt64());
        Assert.Equal(expected.OrderBy(e => e.Key), listed.OrderBy(e => e.Key));
        Assert.Equal(alerts.Count, root.GetProperty("alert_total").GetInt64());
        long wouldDrop = alerts.Count(a => a.TryGetProperty("would_drop", out JsonElement d) && d.GetBoolean());
        Assert.True(wouldDrop > 0);
        Assert.Equal(wouldDrop, root.GetProperty("would_drop_total").GetInt64());
        Assert.Equal(wouldDrop, root.GetProperty("alerts").EnumerateArray()
            .Where(a => a.GetProperty("action").GetString() == "would_drop").Sum(a => a.GetProperty("count").GetInt64()));
    }

    [Fact]
    public void TextSummary_AlertsBySignature_ListsEachSignatureWithItsCountAndWouldDrop()
    {
        (string summary, List<JsonElement> alerts) = Replay(SummaryFormat.Text);
        long wouldDrop = alerts.Count(a => a.TryGetProperty("would_drop", out JsonElement d) && d.GetBoolean());
        Assert.Contains($"{alerts.Count:N0} alerts ({wouldDrop:N0} would drop)", summary, StringComparison.Ordinal);
        Assert.Contains("Alerts by signature", summary, StringComparison.Ordinal);
        string[] lines = summary.Split('\n');
        foreach (IGrouping<uint, JsonElement> signature in alerts.GroupBy(a => a.GetProperty("signature_id").GetUInt32()))
        {
            JsonElement first = signature.First();
            string action = first.TryGetProperty("would_drop", out _) ? "would drop" : "alert";
            string sid = signature.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(lines, l => l.Contains($" {signature.Count():N0} ", StringComparison.Ordinal) && l.Contains($" {sid} ", StringComparison.Ordinal)
                && l.Contains(action, StringComparison.Ordinal) && l.Contains(first.GetProperty("signature").GetString()!, StringComparison.Ordinal));
        }
    }

    private static (string Summary, List<JsonElement> Alerts) Replay(SummaryFormat format)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-summary-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var stdout = new StringWriter();
            var options = new ReplayOptions { Files = [s_capture], EvePath = eve, RulesPath = s_rules, Summary = format };
            Assert.Equal(0, new ReplayRunner(options, stdout, TextWriter.Null).Run());
            List<JsonElement> alerts = File.ReadLines(eve).Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Where(r => r.GetProperty("event_type").GetString() == "alert").Select(r => r.GetProperty("alert")).ToList();
            Assert.NotEmpty(alerts);
            return (stdout.ToString(), alerts);
        }
        finally
        {
            File.Delete(eve);
        }
    }
}
