using System.Text.Encodings.Web;
using System.Text.Json;
using Visibility.Cli.Eve;
using Visibility.Cli.Output;
using Visibility.Engine.Events;
using Visibility.Wire;

namespace Visibility.Cli.Replay;

/// <summary>The machine-readable end-of-run summary (<c>--summary json</c>): one JSON object.</summary>
internal static class JsonSummary
{
    public static void Write(TextWriter target, RunStatistics run, EngineCounters c, SummaryCollector collected)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("files");
            foreach (string file in run.Files)
            {
                json.WriteStringValue(file);
            }
            json.WriteEndArray();
            json.WriteNumber("packets", c.Packets);
            json.WriteNumber("bytes", c.Bytes);
            json.WriteNumber("capture_seconds", run.LastPacketNanoseconds > run.FirstPacketNanoseconds ? (run.LastPacketNanoseconds - run.FirstPacketNanoseconds) / 1e9 : 0);
            json.WriteNumber("elapsed_seconds", run.Elapsed.TotalSeconds);
            json.WriteNumber("packets_per_second", run.Elapsed.TotalSeconds > 0 ? Math.Round(c.Packets / run.Elapsed.TotalSeconds) : 0);
            json.WriteNumber("flows", collected.FlowRecords);
            json.WriteNumber("eve_records", run.EveRecords);
            json.WriteStartObject("protocols");
            json.WriteNumber("ipv4", c.IPv4);
            json.WriteNumber("ipv6", c.IPv6);
            json.WriteNumber("vlan", c.Vlan);
            json.WriteNumber("tcp", c.Tcp);
            json.WriteNumber("udp", c.Udp);
            json.WriteNumber("icmpv4", c.Icmp);
            json.WriteNumber("icmpv6", c.IcmpV6);
            json.WriteNumber("esp", c.Esp);
            json.WriteNumber("esp_udp", c.EspUdp);
            json.WriteNumber("wesp", c.Wesp);
            json.WriteNumber("ike", c.Ike);
            json.WriteNumber("nat_keepalive", c.NatKeepalive);
            json.WriteNumber("other_ip", c.OtherIP);
            json.WriteNumber("non_ip", c.NonIP);
            json.WriteNumber("fragments", c.Fragments);
            json.WriteNumber("reassembled", c.Reassembled);
            json.WriteEndObject();
            json.WriteNumber("invalid", c.Invalid);
            json.WriteStartObject("anomalies");
            foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
            {
                long n = c.AnomalyCount(anomaly);
                if (n > 0)
                {
                    json.WriteNumber(DecodeAnomalyNames.EventName(anomaly), n);
                }
            }
            json.WriteEndObject();
            json.WriteStartArray("esp_sas");
            foreach (EspFlowRow row in collected.EspFlows)
            {
                json.WriteStartObject();
                json.WriteString("src_ip", row.Source.ToString());
                json.WriteString("dest_ip", row.Destination.ToString());
                if (row.Encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp)
                {
                    json.WriteNumber("src_port", row.SourcePort);
                    json.WriteNumber("dest_port", row.DestinationPort);
                }
                json.WriteNumber("spi", row.Spi);
                json.WriteString("encap", EveFormat.EncapsulationName(row.Encapsulation));
                json.WriteNumber("packets", row.Packets);
                json.WriteNumber("bytes", row.Bytes);
                json.WriteString("verdict", row.Verdict);
                if (row.IcvLength is int icv)
                {
                    json.WriteNumber("icv_len", icv);
                }
                else
                {
                    json.WriteNull("icv_len");
                }
                json.WriteString("mode", row.Mode);
                if (row.IkeLink is not null)
                {
                    json.WriteStartObject("ike_sa");
                    json.WriteString("init_spi", row.IkeInitiatorSpi.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteString("resp_spi", row.IkeResponderSpi.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteString("link", row.IkeLink);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("rules", run.Rules);
            json.WriteNumber("alert_total", TextSummary.AlertTotal(collected));
            json.WriteNumber("would_drop_total", TextSummary.WouldDropTotal(collected));
            json.WriteStartArray("alerts");
            foreach ((Visibility.Engine.Inspection.Rule rule, long count) in collected.AlertCounts.OrderBy(a => a.Key.Sid))
            {
                json.WriteStartObject();
                json.WriteNumber("signature_id", rule.Sid);
                json.WriteString("signature", rule.Message);
                json.WriteString("action", rule.Action == Visibility.Engine.Inspection.RuleAction.Drop ? "would_drop" : "alert");
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteIkeSas(json, collected);
            json.WriteStartArray("errors");
            foreach (string error in run.Errors)
            {
                json.WriteStringValue(error);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        target.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        target.Flush();
    }

    /// <summary><c>ike_sas</c>: every IKE SA with its outcome and the ESP flows linked to it.</summary>
    private static void WriteIkeSas(Utf8JsonWriter json, SummaryCollector collected)
    {
        var linked = collected.EspFlows.Where(f => f.IkeLink is not null).ToLookup(f => (f.IkeInitiatorSpi, f.IkeResponderSpi));
        json.WriteStartObject("ike");
        json.WriteNumber("messages", collected.IkeMessages);
        json.WriteNumber("ikev1", collected.IkeV1Messages);
        json.WriteNumber("decrypted", collected.IkeDecrypted);
        json.WriteNumber("sas", collected.IkeSas.Count);
        json.WriteEndObject();
        json.WriteStartArray("ike_sas");
        foreach (IkeSaRow row in collected.IkeSas)
        {
            json.WriteStartObject();
            json.WriteString("init_spi", row.InitiatorSpi.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("resp_spi", row.ResponderSpi.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("initiator", row.Initiator.ToString());
            json.WriteString("responder", row.Responder.ToString());
            json.WriteString("state", row.State);
            json.WriteString("outcome", row.Outcome);
            json.WriteString("auth_method", row.AuthMethod);
            json.WriteString("initiator_id", row.InitiatorId);
            json.WriteNumber("child_sas", row.ChildSas);
            json.WriteNumber("messages", row.Messages);
            json.WriteNumber("retransmissions", row.Retransmissions);
            json.WriteBoolean("decrypted", row.Decrypted);
            json.WriteStartArray("esp_flows");
            foreach (EspFlowRow flow in linked[(row.InitiatorSpi, row.ResponderSpi)])
            {
                json.WriteStartObject();
                json.WriteString("src_ip", flow.Source.ToString());
                json.WriteString("dest_ip", flow.Destination.ToString());
                json.WriteNumber("spi", flow.Spi);
                json.WriteString("link", flow.IkeLink);
                json.WriteString("verdict", flow.Verdict);
                json.WriteNumber("packets", flow.Packets);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
