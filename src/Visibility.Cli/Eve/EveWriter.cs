using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Cli.Eve;

/// <summary>Writes engine events as EVE JSON lines (one object per line, Suricata's field names where they exist).
/// The field list is documented in README.md and checked against <c>eve.schema.json</c> by the tests.</summary>
/// <remarks>One <see cref="Utf8JsonWriter"/> over a reused byte buffer, reset per record; each finished record (with
/// its newline) is handed to the stream in one write, so a rotating stream only ever sees whole lines. The writer
/// never flushes the stream itself: a <see cref="Utf8JsonWriter"/> over a stream flushes the stream on every
/// <c>Flush</c>, which costs a system call per record. Writing a record allocates nothing in steady state.</remarks>
internal sealed partial class EveWriter : IEventSink, IDisposable
{
    private static readonly JsonWriterOptions s_options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _record = new(1 << 12);
    private readonly Utf8JsonWriter _json;
    private readonly bool _ownsStream;
    private readonly char[] _scratch = new char[64];
    private readonly byte[] _time = new byte[EveFormat.TimestampLength];
    private long _timeSecond = -1;
    private string? _encodedSourceName;
    private JsonEncodedText _encodedSource;

    public EveWriter(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(_record, s_options);
    }

    /// <summary>The capture file now being read (EVE <c>pcap_filename</c>).</summary>
    public string? SourceName { get; set; }

    public long Records { get; private set; }

    /// <summary>Inline bridge: frames a <c>drop</c> rule matched are held back, so their alerts say
    /// <c>action: "blocked"</c> (otherwise <c>"allowed"</c> with <c>would_drop: true</c>).</summary>
    public bool Blocking { get; set; }

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
        ref readonly PacketMeta meta = ref packet.Meta;
        Begin(packet.TimestampNanoseconds, EveNames.Anomaly, packet.Flow?.Id ?? 0, packet.FrameNumber, SourceName);
        if (meta.IPVersion != 0)
        {
            WriteAddress(EveNames.SrcIp, meta.Source);
            if (meta.HasPorts)
            {
                _json.WriteNumber(EveNames.SrcPort, meta.SourcePort);
            }
            WriteAddress(EveNames.DestIp, meta.Destination);
            if (meta.HasPorts)
            {
                _json.WriteNumber(EveNames.DestPort, meta.DestinationPort);
            }
            _json.WriteString(EveNames.Proto, EveFormat.ProtocolName(meta.Protocol));
        }
        _json.WriteStartObject(EveNames.Anomaly);
        _json.WriteString(EveNames.Type, "decode");
        _json.WriteString(EveNames.Event, DecodeAnomalyNames.EventName(anomaly));
        _json.WriteString(EveNames.Layer, DecodeAnomalyNames.Layer(anomaly));
        _json.WriteEndObject();
        End();
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
        Begin(packet.TimestampNanoseconds, EveNames.Esp, flow.Id, packet.FrameNumber, SourceName);
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
        Begin(packet.TimestampNanoseconds, EveNames.Alert, packet.Flow?.Id ?? 0, packet.FrameNumber, SourceName);
        WriteAddress(EveNames.SrcIp, alert.Source);
        if (alert.HasPorts)
        {
            _json.WriteNumber(EveNames.SrcPort, alert.SourcePort);
        }
        WriteAddress(EveNames.DestIp, alert.Destination);
        if (alert.HasPorts)
        {
            _json.WriteNumber(EveNames.DestPort, alert.DestinationPort);
        }
        _json.WriteString(EveNames.Proto, EveFormat.ProtocolName(alert.Protocol));
        Visibility.Engine.Inspection.Rule rule = alert.Rule;
        _json.WriteStartObject(EveNames.Alert);
        // Offline and on a span port nothing is blocked: a drop rule is reported as "would drop" (Suricata's IDS mode).
        bool drop = rule.Action == Visibility.Engine.Inspection.RuleAction.Drop;
        _json.WriteString(EveNames.Action, drop && Blocking ? "blocked" : "allowed");
        if (drop && !Blocking)
        {
            _json.WriteBoolean(EveNames.WouldDrop, true);
        }
        _json.WriteNumber(EveNames.Gid, rule.Gid);
        _json.WriteNumber(EveNames.SignatureId, rule.Sid);
        _json.WriteNumber(EveNames.Rev, rule.Rev);
        _json.WriteString(EveNames.Signature, rule.Message);
        if (rule.Category is null)
        {
            _json.WriteNull(EveNames.Category);
        }
        else
        {
            _json.WriteString(EveNames.Category, rule.Category);
        }
        _json.WriteNumber(EveNames.Severity, rule.Priority);
        _json.WriteBoolean(EveNames.Decapsulated, alert.Decapsulated);
        _json.WriteEndObject();
        if (packet.Flow is { } flow && flow.Key.IsEsp)
        {
            WriteEsp(flow, null);
        }
        End();
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        Begin(flow.StartNanoseconds, EveNames.Flow, flow.Id, 0, flow.SourceName);
        WriteFlowTuple(flow);
        if (flow.Key.IsEsp)
        {
            WriteEsp(flow, null);
            WriteIkeSaLink(flow);
        }
        _json.WriteStartObject(EveNames.Flow);
        _json.WriteNumber(EveNames.PktsToserver, flow.PacketsToServer);
        _json.WriteNumber(EveNames.PktsToclient, flow.PacketsToClient);
        _json.WriteNumber(EveNames.BytesToserver, flow.BytesToServer);
        _json.WriteNumber(EveNames.BytesToclient, flow.BytesToClient);
        WriteTime(EveNames.Start, flow.StartNanoseconds);
        WriteTime(EveNames.End, flow.LastNanoseconds);
        _json.WriteNumber(EveNames.Age, (flow.LastNanoseconds - flow.StartNanoseconds) / 1_000_000_000);
        _json.WriteString(EveNames.Reason, reason switch
        {
            FlowEndReason.Timeout => "timeout",
            FlowEndReason.Forced => "forced",
            _ => "shutdown",
        });
        _json.WriteEndObject();
        End();
    }

    /// <summary>The closing <c>stats</c> record; <paramref name="totals"/> adds <c>detect</c>, <c>esp</c> and
    /// <c>ike</c>.</summary>
    public void WriteStats(long timestampNanoseconds, EngineCounters c, Output.DefragTotals defrag, EveRunTotals? totals = null)
    {
        Begin(timestampNanoseconds, EveNames.Stats, 0, 0, null);
        _json.WriteStartObject(EveNames.Stats);
        _json.WriteStartObject(EveNames.Decoder);
        _json.WriteNumber(EveNames.Pkts, c.Packets);
        _json.WriteNumber(EveNames.Bytes, c.Bytes);
        _json.WriteNumber(EveNames.Invalid, c.Invalid);
        _json.WriteNumber(EveNames.Ipv4, c.IPv4);
        _json.WriteNumber(EveNames.Ipv6, c.IPv6);
        _json.WriteNumber(EveNames.Vlan, c.Vlan);
        _json.WriteNumber(EveNames.Tcp, c.Tcp);
        _json.WriteNumber(EveNames.Udp, c.Udp);
        _json.WriteNumber(EveNames.Icmpv4, c.Icmp);
        _json.WriteNumber(EveNames.Icmpv6, c.IcmpV6);
        _json.WriteNumber(EveNames.Esp, c.Esp);
        _json.WriteNumber(EveNames.EspUdp, c.EspUdp);
        _json.WriteNumber(EveNames.Wesp, c.Wesp);
        _json.WriteNumber(EveNames.Ike, c.Ike);
        _json.WriteNumber(EveNames.NatKeepalive, c.NatKeepalive);
        _json.WriteNumber(EveNames.OtherIp, c.OtherIP);
        _json.WriteNumber(EveNames.NonIp, c.NonIP);
        _json.WriteEndObject();
        _json.WriteStartObject(EveNames.Defrag);
        _json.WriteNumber(EveNames.Fragments, defrag.Fragments);
        _json.WriteNumber(EveNames.Reassembled, defrag.Reassembled);
        _json.WriteNumber(EveNames.Timeouts, defrag.TimedOut);
        _json.WriteNumber(EveNames.Evicted, defrag.Evicted);
        _json.WriteNumber(EveNames.Dropped, defrag.DroppedFragments);
        _json.WriteEndObject();
        _json.WriteStartObject(EveNames.Flow);
        _json.WriteNumber(EveNames.Total, c.FlowsCreated);
        _json.WriteNumber(EveNames.Timeout, c.FlowsTimedOut);
        _json.WriteNumber(EveNames.Evicted, c.FlowsEvicted);
        _json.WriteEndObject();
        _json.WriteStartObject(EveNames.Anomalies);
        foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
        {
            long n = c.AnomalyCount(anomaly);
            if (n != 0)
            {
                _json.WriteNumber(DecodeAnomalyNames.EventName(anomaly), n);
            }
        }
        _json.WriteEndObject();
        if (totals is not null)
        {
            WriteRunTotals(totals);
        }
        _json.WriteEndObject();
        End();
    }

    /// <summary>Pushes the records written so far to the file (or standard output).</summary>
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
        WriteAddress(EveNames.SrcIp, flow.Client);
        bool ports = flow.Kind is PayloadKind.Tcp or PayloadKind.Udp or PayloadKind.Ike or PayloadKind.NatKeepalive
            || flow.Encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp;
        if (ports)
        {
            _json.WriteNumber(EveNames.SrcPort, flow.ClientPort);
        }
        WriteAddress(EveNames.DestIp, flow.Server);
        if (ports)
        {
            _json.WriteNumber(EveNames.DestPort, flow.ServerPort);
        }
        _json.WriteString(EveNames.Proto, EveFormat.ProtocolName(flow.Protocol));
    }

    private void WriteEsp(FlowState flow, string? reason)
    {
        ref readonly EspSaState sa = ref flow.Esp;
        bool isNull = sa.Verdict == EspSaVerdict.Null;
        _json.WriteStartObject(EveNames.Esp);
        _json.WriteNumber(EveNames.Spi, flow.Spi);
        _json.WriteString(EveNames.Encap, EveFormat.EncapsulationName(flow.Encapsulation));
        _json.WriteString(EveNames.Verdict, EspNames.Verdict(sa.Verdict));
        if (isNull)
        {
            _json.WriteNumber(EveNames.IcvLen, sa.IcvLength);
            _json.WriteNumber(EveNames.IvLen, sa.IvLength);
        }
        else
        {
            _json.WriteNull(EveNames.IcvLen);
            _json.WriteNull(EveNames.IvLen);
        }
        string? mode = EspNames.Mode(sa.Mode);
        if (mode is null)
        {
            _json.WriteNull(EveNames.Mode);
        }
        else
        {
            _json.WriteString(EveNames.Mode, mode);
        }
        _json.WriteStartArray(EveNames.NextHeaders);
        Span<byte> headers = stackalloc byte[256];
        int n = sa.NextHeaders.CopyTo(headers);
        for (int i = 0; i < n; i++)
        {
            _json.WriteNumberValue(headers[i]);
        }
        _json.WriteEndArray();
        _json.WriteNumber(EveNames.NullPackets, sa.NullPackets);
        if (sa.DecidedAtFrame != 0)
        {
            _json.WriteNumber(EveNames.DecidedAtPcapCnt, sa.DecidedAtFrame);
        }
        else
        {
            _json.WriteNull(EveNames.DecidedAtPcapCnt);
        }
        if (reason is not null)
        {
            _json.WriteString(EveNames.Reason, reason);
        }
        _json.WriteEndObject();
    }

    private void Begin(long timestamp, JsonEncodedText eventType, long flowId, long frameNumber, string? source)
    {
        _json.WriteStartObject();
        WriteTime(EveNames.Timestamp, timestamp);
        if (flowId != 0)
        {
            _json.WriteNumber(EveNames.FlowId, flowId);
        }
        if (source is not null)
        {
            if (!ReferenceEquals(source, _encodedSourceName))
            {
                // Once per file: every record of the file names the same string.
                _encodedSource = JsonEncodedText.Encode(source, s_options.Encoder);
                _encodedSourceName = source;
            }
            _json.WriteString(EveNames.PcapFilename, _encodedSource);
        }
        if (frameNumber != 0)
        {
            _json.WriteNumber(EveNames.PcapCnt, frameNumber);
        }
        _json.WriteString(EveNames.EventType, eventType);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _record.GetSpan(1)[0] = (byte)'\n';
        _record.Advance(1);
        _stream.Write(_record.WrittenSpan);
        _record.ResetWrittenCount();
        Records++;
    }

    private void WriteTime(JsonEncodedText name, long nanoseconds)
    {
        // Records come in packet-time order, so most share the second of the one before: only the fraction changes.
        long second = nanoseconds / EveFormat.NanosecondsPerSecond;
        if (second != _timeSecond || nanoseconds < 0)
        {
            EveFormat.FormatTimestamp(nanoseconds, _time);
            _timeSecond = second;
        }
        else
        {
            EveFormat.FormatMicroseconds(nanoseconds, _time);
        }
        _json.WriteString(name, _time);
    }

    private void WriteAddress(JsonEncodedText name, NetworkAddress address)
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
