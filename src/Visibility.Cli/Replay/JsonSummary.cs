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
        // Sized for the rows (about 300 octets each), so the buffer does not grow by copying through a large summary.
        using var buffer = new MemoryStream(4096 + (300 * (collected.EspFlows.Count + collected.IkeSas.Count)));
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
                WriteAddress(json, "src_ip", row.Source);
                WriteAddress(json, "dest_ip", row.Destination);
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
                    WriteSpi(json, "init_spi", row.IkeInitiatorSpi);
                    WriteSpi(json, "resp_spi", row.IkeResponderSpi);
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
        WriteUtf8(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        target.WriteLine();
        target.Flush();
    }

    /// <summary>Hands UTF-8 text to <paramref name="target"/> in pieces, without a string of the whole summary.</summary>
    private static void WriteUtf8(TextWriter target, ReadOnlySpan<byte> utf8)
    {
        System.Text.Decoder decoder = System.Text.Encoding.UTF8.GetDecoder();
        char[] chars = new char[1 << 14];
        while (true)
        {
            decoder.Convert(utf8, chars, flush: true, out int bytesUsed, out int charsUsed, out bool completed);
            target.Write(chars, 0, charsUsed);
            utf8 = utf8[bytesUsed..];
            if (completed)
            {
                return;
            }
        }
    }

    private static void WriteAddress(Utf8JsonWriter json, string name, NetworkAddress address)
    {
        // As NetworkAddress.ToString, without the string: an IPv6 address is at most 45 characters.
        Span<char> text = stackalloc char[64];
        json.WriteString(name, address.TryFormat(text, out int n) ? text[..n] : ReadOnlySpan<char>.Empty);
    }

    private static void WriteSpi(Utf8JsonWriter json, string name, ulong spi)
    {
        Span<char> text = stackalloc char[16];
        spi.TryFormat(text, out int n, "x16", System.Globalization.CultureInfo.InvariantCulture);
        json.WriteString(name, text[..n]);
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
            WriteSpi(json, "init_spi", row.InitiatorSpi);
            WriteSpi(json, "resp_spi", row.ResponderSpi);
            WriteAddress(json, "initiator", row.Initiator);
            WriteAddress(json, "responder", row.Responder);
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
                WriteAddress(json, "src_ip", flow.Source);
                WriteAddress(json, "dest_ip", flow.Destination);
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
