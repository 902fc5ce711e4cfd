using System.Text.Encodings.Web;
using System.Text.Json;
using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Cli.Eve;

/// <summary>Writes engine events as EVE JSON lines (one object per line, Suricata's field names where they exist).
/// The field list is documented in README.md and checked against <c>eve.schema.json</c> by the tests.</summary>
/// <remarks>One <see cref="Utf8JsonWriter"/> over a buffered stream, reset per record: writing a record allocates
/// nothing in steady state.</remarks>
internal sealed partial class EveWriter : IEventSink, IDisposable
{
    private static readonly JsonWriterOptions s_options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly bool _ownsStream;
    private readonly char[] _scratch = new char[64];

    public EveWriter(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(stream, s_options);
    }

    /// <summary>The capture file now being read (EVE <c>pcap_filename</c>).</summary>
    public string? SourceName { get; set; }

    public long Records { get; private set; }

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
        ref readonly PacketMeta meta = ref packet.Meta;
        Begin(packet.TimestampNanoseconds, "anomaly", packet.Flow?.Id ?? 0, packet.FrameNumber, SourceName);
        if (meta.IPVersion != 0)
        {
            WriteAddress("src_ip", meta.Source);
            if (meta.HasPorts)
            {
                _json.WriteNumber("src_port", meta.SourcePort);
            }
            WriteAddress("dest_ip", meta.Destination);
            if (meta.HasPorts)
            {
                _json.WriteNumber("dest_port", meta.DestinationPort);
            }
            _json.WriteString("proto", EveFormat.ProtocolName(meta.Protocol));
        }
        _json.WriteStartObject("anomaly");
        _json.WriteString("type", "decode");
        _json.WriteString("event", DecodeAnomalyNames.EventName(anomaly));
        _json.WriteString("layer", DecodeAnomalyNames.Layer(anomaly));
        _json.WriteEndObject();
        End();
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
        Begin(packet.TimestampNanoseconds, "esp", flow.Id, packet.FrameNumber, SourceName);
        WriteFlowTuple(flow);
        WriteEsp(flow, EspNames.Reason(verdict.Reason));
        WriteIkeSaLink(flow);
        End();
    }

    /// <summary>Inner packets go to the <c>--write-inner</c> pcap, not to EVE.</summary>
    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
    }

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
        Begin(packet.TimestampNanoseconds, "alert", packet.Flow?.Id ?? 0, packet.FrameNumber, SourceName);
        WriteAddress("src_ip", alert.Source);
        if (alert.HasPorts)
        {
            _json.WriteNumber("src_port", alert.SourcePort);
        }
        WriteAddress("dest_ip", alert.Destination);
        if (alert.HasPorts)
        {
            _json.WriteNumber("dest_port", alert.DestinationPort);
        }
        _json.WriteString("proto", EveFormat.ProtocolName(alert.Protocol));
        Visibility.Engine.Inspection.Rule rule = alert.Rule;
        _json.WriteStartObject("alert");
        // Offline and on a span port nothing is blocked: a drop rule is reported as "would drop" (Suricata's IDS mode).
        _json.WriteString("action", "allowed");
        if (rule.Action == Visibility.Engine.Inspection.RuleAction.Drop)
        {
            _json.WriteBoolean("would_drop", true);
        }
        _json.WriteNumber("gid", rule.Gid);
        _json.WriteNumber("signature_id", rule.Sid);
        _json.WriteNumber("rev", rule.Rev);
        _json.WriteString("signature", rule.Message);
        if (rule.Category is null)
        {
            _json.WriteNull("category");
        }
        else
        {
            _json.WriteString("category", rule.Category);
        }
        _json.WriteNumber("severity", rule.Priority);
        _json.WriteBoolean("decapsulated", alert.Decapsulated);
        _json.WriteEndObject();
        if (packet.Flow is { } flow && flow.Key.IsEsp)
        {
            WriteEsp(flow, null);
        }
        End();
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        Begin(flow.StartNanoseconds, "flow", flow.Id, 0, flow.SourceName);
        WriteFlowTuple(flow);
        if (flow.Key.IsEsp)
        {
            WriteEsp(flow, null);
            WriteIkeSaLink(flow);
        }
        _json.WriteStartObject("flow");
        _json.WriteNumber("pkts_toserver", flow.PacketsToServer);
        _json.WriteNumber("pkts_toclient", flow.PacketsToClient);
        _json.WriteNumber("bytes_toserver", flow.BytesToServer);
        _json.WriteNumber("bytes_toclient", flow.BytesToClient);
        WriteTime("start", flow.StartNanoseconds);
        WriteTime("end", flow.LastNanoseconds);
        _json.WriteNumber("age", (flow.LastNanoseconds - flow.StartNanoseconds) / 1_000_000_000);
        _json.WriteString("reason", reason switch
        {
            FlowEndReason.Timeout => "timeout",
            FlowEndReason.Forced => "forced",
            _ => "shutdown",
        });
        _json.WriteEndObject();
        End();
    }

    /// <summary>The closing <c>stats</c> record.</summary>
    public void WriteStats(long timestampNanoseconds, EngineCounters c, Output.DefragTotals defrag)
    {
        Begin(timestampNanoseconds, "stats", 0, 0, null);
        _json.WriteStartObject("stats");
        _json.WriteStartObject("decoder");
        _json.WriteNumber("pkts", c.Packets);
        _json.WriteNumber("bytes", c.Bytes);
        _json.WriteNumber("invalid", c.Invalid);
        _json.WriteNumber("ipv4", c.IPv4);
        _json.WriteNumber("ipv6", c.IPv6);
        _json.WriteNumber("vlan", c.Vlan);
        _json.WriteNumber("tcp", c.Tcp);
        _json.WriteNumber("udp", c.Udp);
        _json.WriteNumber("icmpv4", c.Icmp);
        _json.WriteNumber("icmpv6", c.IcmpV6);
        _json.WriteNumber("esp", c.Esp);
        _json.WriteNumber("esp_udp", c.EspUdp);
        _json.WriteNumber("wesp", c.Wesp);
        _json.WriteNumber("ike", c.Ike);
        _json.WriteNumber("nat_keepalive", c.NatKeepalive);
        _json.WriteNumber("other_ip", c.OtherIP);
        _json.WriteNumber("non_ip", c.NonIP);
        _json.WriteEndObject();
        _json.WriteStartObject("defrag");
        _json.WriteNumber("fragments", defrag.Fragments);
        _json.WriteNumber("reassembled", defrag.Reassembled);
        _json.WriteNumber("timeouts", defrag.TimedOut);
        _json.WriteNumber("evicted", defrag.Evicted);
        _json.WriteNumber("dropped", defrag.DroppedFragments);
        _json.WriteEndObject();
        _json.WriteStartObject("flow");
        _json.WriteNumber("total", c.FlowsCreated);
        _json.WriteNumber("timeout", c.FlowsTimedOut);
        _json.WriteNumber("evicted", c.FlowsEvicted);
        _json.WriteEndObject();
        _json.WriteStartObject("anomalies");
        foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
        {
            long n = c.AnomalyCount(anomaly);
            if (n != 0)
            {
                _json.WriteNumber(DecodeAnomalyNames.EventName(anomaly), n);
            }
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
        End();
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _json.Dispose();
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private void WriteFlowTuple(FlowState flow)
    {
        WriteAddress("src_ip", flow.Client);
        bool ports = flow.Kind is PayloadKind.Tcp or PayloadKind.Udp or PayloadKind.Ike or PayloadKind.NatKeepalive
            || flow.Encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp;
        if (ports)
        {
            _json.WriteNumber("src_port", flow.ClientPort);
        }
        WriteAddress("dest_ip", flow.Server);
        if (ports)
        {
            _json.WriteNumber("dest_port", flow.ServerPort);
        }
        _json.WriteString("proto", EveFormat.ProtocolName(flow.Protocol));
    }

    private void WriteEsp(FlowState flow, string? reason)
    {
        ref readonly EspSaState sa = ref flow.Esp;
        bool isNull = sa.Verdict == EspSaVerdict.Null;
        _json.WriteStartObject("esp");
        _json.WriteNumber("spi", flow.Spi);
        _json.WriteString("encap", EveFormat.EncapsulationName(flow.Encapsulation));
        _json.WriteString("verdict", EspNames.Verdict(sa.Verdict));
        if (isNull)
        {
            _json.WriteNumber("icv_len", sa.IcvLength);
            _json.WriteNumber("iv_len", sa.IvLength);
        }
        else
        {
            _json.WriteNull("icv_len");
            _json.WriteNull("iv_len");
        }
        string? mode = EspNames.Mode(sa.Mode);
        if (mode is null)
        {
            _json.WriteNull("mode");
        }
        else
        {
            _json.WriteString("mode", mode);
        }
        _json.WriteStartArray("next_headers");
        Span<byte> headers = stackalloc byte[256];
        int n = sa.NextHeaders.CopyTo(headers);
        for (int i = 0; i < n; i++)
        {
            _json.WriteNumberValue(headers[i]);
        }
        _json.WriteEndArray();
        _json.WriteNumber("null_packets", sa.NullPackets);
        if (sa.DecidedAtFrame != 0)
        {
            _json.WriteNumber("decided_at_pcap_cnt", sa.DecidedAtFrame);
        }
        else
        {
            _json.WriteNull("decided_at_pcap_cnt");
        }
        if (reason is not null)
        {
            _json.WriteString("reason", reason);
        }
        _json.WriteEndObject();
    }

    private void Begin(long timestamp, string eventType, long flowId, long frameNumber, string? source)
    {
        _json.WriteStartObject();
        WriteTime("timestamp", timestamp);
        if (flowId != 0)
        {
            _json.WriteNumber("flow_id", flowId);
        }
        if (source is not null)
        {
            _json.WriteString("pcap_filename", source);
        }
        if (frameNumber != 0)
        {
            _json.WriteNumber("pcap_cnt", frameNumber);
        }
        _json.WriteString("event_type", eventType);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
        Records++;
    }

    private void WriteTime(string name, long nanoseconds)
    {
        int n = EveFormat.FormatTimestamp(nanoseconds, _scratch);
        _json.WriteString(name, _scratch.AsSpan(0, n));
    }

    private void WriteAddress(string name, NetworkAddress address)
    {
        if (address.TryFormat(_scratch, out int n))
        {
            _json.WriteString(name, _scratch.AsSpan(0, n));
        }
        else
        {
            _json.WriteNull(name);
        }
    }
}
