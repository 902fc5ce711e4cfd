using Visibility.Cli.Metrics;

namespace Visibility.Cli.Eve;

/// <summary>The run totals of the closing <c>stats</c> record: <c>detect</c>, <c>esp</c> and <c>ike</c> (written once
/// per run, so plain strings as names).</summary>
internal sealed partial class EveWriter
{
    private void WriteRunTotals(EveRunTotals totals)
    {
        // Suricata's stats.detect.alert; a drop rule's matches are blocked inline, would-drop elsewhere.
        _json.WriteStartObject("detect");
        _json.WriteNumber("alert", totals.Alerts);
        _json.WriteNumber(Blocking ? "blocked" : "would_drop", totals.DropMatches);
        _json.WriteEndObject();

        _json.WriteStartObject("esp");
        _json.WriteNumber("sas", totals.EspSas[0] + totals.EspSas[1] + totals.EspSas[2]);
        for (int i = 0; i < totals.EspSas.Count; i++)
        {
            _json.WriteNumber(EspMetricsSink.VerdictName(i), totals.EspSas[i]);
        }
        _json.WriteEndObject();

        _json.WriteStartObject("ike");
        _json.WriteNumber("messages", totals.IkeMessages);
        _json.WriteNumber("ikev1", totals.IkeV1Messages);
        _json.WriteNumber("decrypted", totals.IkeDecrypted);
        _json.WriteNumber("sas", totals.IkeSas);
        _json.WriteStartObject("outcomes");
        foreach ((string outcome, long count) in totals.IkeOutcomes)
        {
            _json.WriteNumber(outcome, count);
        }
        _json.WriteEndObject();
        _json.WriteStartObject("events");
        foreach ((string name, long count) in totals.IkeEvents)
        {
            _json.WriteNumber(name, count);
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
    }
}
