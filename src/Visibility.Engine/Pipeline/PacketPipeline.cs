using System.Buffers.Binary;
using Visibility.Engine.Defrag;
using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;
using Visibility.Wire.Esp;

namespace Visibility.Engine.Pipeline;

/// <summary>One forward pass per packet: decode, reassemble, find the flow, hand the packet to the protocol
/// handlers, count, and report events to the sink. Single-threaded; time is the packets' own.</summary>
/// <remarks>Steady state allocates nothing: the metadata struct, the flow objects and the reassembly buffers are
/// reused. Flows expire on packet time, so a replay behaves as the live traffic did.</remarks>
public sealed class PacketPipeline
{
    private readonly IEventSink _sink;
    private readonly FlowTable _flows;
    private readonly FragmentReassembler _defrag;
    private readonly long _flowTimeout;
    private readonly EspClassifier _esp;
    private readonly IkeTracker _ike;

    // Transport-mode cleartext is exported behind an IP header built from the outer one (contract: --write-inner).
    private readonly byte[] _inner = new byte[40 + 65535];
    private PacketMeta _meta;
    private long _now;

    public PacketPipeline(PipelineOptions options, IEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _flows = new FlowTable(options.FlowCapacity);
        _defrag = new FragmentReassembler(options.FragmentCapacity, options.FragmentTimeout.Ticks * 100);
        _flowTimeout = options.FlowTimeout.Ticks * 100;
        _esp = new EspClassifier(options.Esp);
        _ike = new IkeTracker(options.Ike, sink, Counters);
        Options = options;
    }

    public PipelineOptions Options { get; }

    public EngineCounters Counters { get; } = new();

    /// <summary>The flow table (read it for gauges; do not modify it).</summary>
    public FlowTable Flows => _flows;

    public FragmentReassembler Defrag => _defrag;

    /// <summary>The IKE tracker (read it for counters and gauges; do not modify it).</summary>
    public IkeTracker Ike => _ike;

    /// <summary>Name of the capture source now being processed (a file name for replay); stamped on new flows.</summary>
    public string? SourceName { get; set; }

    /// <summary>Packet time of the newest packet, in nanoseconds since the Unix epoch.</summary>
    public long Now => _now;

    /// <summary>Processes one captured frame.</summary>
    /// <param name="frame">The captured bytes (valid for this call only).</param>
    /// <param name="originalLength">The frame's length on the wire.</param>
    /// <param name="timestampNanoseconds">Capture time, nanoseconds since the Unix epoch.</param>
    /// <param name="linkType">The link-layer header type.</param>
    /// <param name="frameNumber">1-based record number in its file (0 when live).</param>
    public void Process(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, LinkType linkType, long frameNumber)
    {
        EngineCounters c = Counters;
        c.Packets++;
        c.Bytes += originalLength;
        if (timestampNanoseconds > _now)
        {
            _now = timestampNanoseconds;
            ExpireFlows();
            _ike.Expire(_now);
        }

        PacketDecoder.Decode(frame, linkType, originalLength, ref _meta);
        if (_meta.VlanCount != 0)
        {
            c.Vlan++;
        }
        if (_meta.IsFragment && _meta.Anomaly == DecodeAnomaly.None)
        {
            CountNetwork(c);
            c.Fragments++;
            FragmentResult result = _defrag.Add(frame, in _meta, timestampNanoseconds, out ReadOnlySpan<byte> datagram, out DecodeAnomaly defragAnomaly);
            if (defragAnomaly != DecodeAnomaly.None)
            {
                Report(frame, timestampNanoseconds, frameNumber, defragAnomaly);
            }
            if (result != FragmentResult.Complete)
            {
                return;
            }
            c.Reassembled++;
            PacketDecoder.DecodeNetwork(datagram, ref _meta);
            _meta.OriginalLength = originalLength;
            Dispatch(datagram, originalLength, timestampNanoseconds, frameNumber, countNetwork: false);
            return;
        }
        Dispatch(frame, originalLength, timestampNanoseconds, frameNumber, countNetwork: true);
    }

    /// <summary>Ends every open flow ("shutdown") and writes their records, oldest first; then every IKE SA still
    /// tracked (their ESP flows are linked by then).</summary>
    public void Finish()
    {
        while (_flows.Oldest is { } flow)
        {
            EndFlow(flow, FlowEndReason.Shutdown);
        }
        _ike.Finish();
        _defrag.Clear();
    }

    /// <summary>Forgets all state and zeroes the counters, keeping pools and buffers for the next run.</summary>
    public void Reset()
    {
        _flows.Clear();
        _defrag.Clear();
        _ike.Reset();
        Counters.Reset();
        _now = 0;
    }

    private void Dispatch(ReadOnlySpan<byte> bytes, int originalLength, long timestamp, long frameNumber, bool countNetwork)
    {
        EngineCounters c = Counters;
        if (countNetwork)
        {
            CountNetwork(c);
        }
        if (_meta.Anomaly != DecodeAnomaly.None)
        {
            Report(bytes, timestamp, frameNumber, _meta.Anomaly);
            return;
        }
        if (_meta.IPVersion == 0)
        {
            return;
        }

        FlowKey key;
        uint spi = _meta.Spi;
        switch (_meta.Kind)
        {
            case PayloadKind.Esp:
            case PayloadKind.Wesp:
                bool udp = _meta.Encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp;
                if (udp)
                {
                    c.Udp++;
                }
                if (_meta.Kind == PayloadKind.Wesp)
                {
                    c.Wesp++;
                    if (!WespHeader.TryReadHeader(bytes[_meta.WespOffset.._meta.NetworkEnd], _meta.IPVersion == 6, udp, out WespHeader header, out DecodeAnomaly wespAnomaly))
                    {
                        Report(bytes, timestamp, frameNumber, wespAnomaly);
                        return;
                    }
                    spi = header.Spi;
                }
                else if (udp)
                {
                    c.EspUdp++;
                }
                else
                {
                    c.Esp++;
                }
                key = FlowKey.ForEsp(_meta.Source, _meta.Destination, spi, _meta.SourcePort, _meta.DestinationPort, _meta.Protocol);
                break;
            case PayloadKind.Tcp:
                c.Tcp++;
                key = FlowKey.ForPorts(_meta.Source, _meta.SourcePort, _meta.Destination, _meta.DestinationPort, _meta.Protocol);
                break;
            case PayloadKind.Udp:
            case PayloadKind.Ike:
            case PayloadKind.NatKeepalive:
                c.Udp++;
                if (_meta.Kind == PayloadKind.Ike)
                {
                    c.Ike++;
                }
                else if (_meta.Kind == PayloadKind.NatKeepalive)
                {
                    c.NatKeepalive++;
                }
                key = FlowKey.ForPorts(_meta.Source, _meta.SourcePort, _meta.Destination, _meta.DestinationPort, _meta.Protocol);
                break;
            case PayloadKind.Icmp:
            case PayloadKind.IcmpV6:
                if (_meta.Kind == PayloadKind.Icmp)
                {
                    c.Icmp++;
                }
                else
                {
                    c.IcmpV6++;
                }
                key = FlowKey.ForPorts(_meta.Source, 0, _meta.Destination, 0, _meta.Protocol);
                break;
            default:
                c.OtherIP++;
                key = FlowKey.ForPorts(_meta.Source, 0, _meta.Destination, 0, _meta.Protocol);
                break;
        }

        FlowState flow = Track(in key, originalLength, timestamp, frameNumber);
        if (key.IsEsp)
        {
            InspectEsp(bytes, flow, timestamp, frameNumber);
        }
        else if (_meta.Kind == PayloadKind.Ike)
        {
            InspectIke(bytes, flow, timestamp, frameNumber);
        }
    }

    /// <summary>Hands the IKE message (after the non-ESP marker on 4500, clamped to the capture) to the tracker.</summary>
    private void InspectIke(ReadOnlySpan<byte> bytes, FlowState flow, long timestamp, long frameNumber)
    {
        int limit = Math.Min(_meta.NetworkEnd, bytes.Length);
        int start = Math.Min(_meta.IkeOffset, limit);
        int end = Math.Clamp(start + Math.Max(_meta.IkeLength, 0), start, limit);
        var context = new PacketContext(bytes, in _meta, timestamp, frameNumber, flow);
        _ike.Process(in context, bytes[start..end]);
    }

    /// <summary>Ties an ESP/WESP flow to its IKE SA; a negotiated transform (or an esp_sa key) fixes an ESP SA's verdict.</summary>
    private void LinkEsp(in PacketContext context, FlowState flow, long timestamp, long frameNumber)
    {
        if (_ike.NeedsLink(flow) && _ike.TryLink(flow, out bool isNull, out int icvLength, out int ivLength, out EspVerdictReason reason)
            && _meta.Kind == PayloadKind.Esp)
        {
            EspPacketVerdict negotiated = EspClassifier.Negotiate(ref flow.Esp, isNull, icvLength, ivLength, reason, frameNumber);
            if (negotiated.VerdictChanged)
            {
                Counters.EspVerdictChanges++;
                _sink.OnEspVerdict(in context, flow, in negotiated);
            }
        }
        IkeTracker.TouchEsp(flow, timestamp);
    }

    /// <summary>Runs the ESP-NULL classifier (or reads the WESP header) and hands out any cleartext.</summary>
    private void InspectEsp(ReadOnlySpan<byte> bytes, FlowState flow, long timestamp, long frameNumber)
    {
        var context = new PacketContext(bytes, in _meta, timestamp, frameNumber, flow);
        LinkEsp(in context, flow, timestamp, frameNumber);
        EspPacketVerdict verdict;
        int start;
        if (_meta.Kind == PayloadKind.Wesp)
        {
            start = _meta.WespOffset;
            verdict = _esp.ClassifyWesp(ref flow.Esp, bytes[start.._meta.NetworkEnd], _meta.IPVersion == 6,
                _meta.Encapsulation == EspEncapsulation.WespUdp, _meta.IsWhole, in _meta.Source, in _meta.Destination, frameNumber);
        }
        else
        {
            start = _meta.EspOffset;
            int end = Math.Min(_meta.EspOffset + _meta.EspLength, _meta.NetworkEnd);
            verdict = _esp.Classify(ref flow.Esp, bytes[start..end], _meta.IsWhole, in _meta.Source, in _meta.Destination, frameNumber);
        }

        if (verdict.Anomaly != DecodeAnomaly.None)
        {
            Counters.Invalid++;
            Counters.CountAnomaly(verdict.Anomaly);
            _sink.OnAnomaly(in context, verdict.Anomaly);
        }
        if (verdict.VerdictChanged)
        {
            Counters.EspVerdictChanges++;
            _sink.OnEspVerdict(in context, flow, in verdict);
        }
        if (!verdict.IsCleartext)
        {
            return;
        }

        Counters.EspCleartext++;
        ReadOnlySpan<byte> cleartext = bytes.Slice(start + verdict.CleartextOffset, verdict.CleartextLength);
        if (verdict.Mode == EspMode.Tunnel)
        {
            _sink.OnInnerPacket(in context, cleartext);
            return;
        }
        int header = BuildTransportHeader(bytes[_meta.NetworkOffset..], verdict.NextHeader, cleartext.Length);
        if (header == 0)
        {
            return;
        }
        cleartext.CopyTo(_inner.AsSpan(header));
        _sink.OnInnerPacket(in context, _inner.AsSpan(0, header + cleartext.Length));
    }

    /// <summary>Writes into the inner buffer an IP header built from the outer one: same addresses, TOS/traffic class,
    /// identification, DF and TTL/hop limit; protocol = the ESP Next Header; lengths and checksum for the payload;
    /// no options or extension headers. Returns its length, or 0 when the payload does not fit.</summary>
    private int BuildTransportHeader(ReadOnlySpan<byte> outer, byte nextHeader, int payloadLength)
    {
        Span<byte> h = _inner;
        if (_meta.IPVersion == 4)
        {
            if (payloadLength > 65535 - 20)
            {
                return 0;
            }
            h[..20].Clear();
            h[0] = 0x45;
            h[1] = outer[1];
            BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)(20 + payloadLength));
            outer.Slice(4, 2).CopyTo(h[4..]);
            h[6] = (byte)(outer[6] & 0x40);
            h[8] = outer[8];
            h[9] = nextHeader;
            _meta.Source.WriteBytes(h[12..]);
            _meta.Destination.WriteBytes(h[16..]);
            BinaryPrimitives.WriteUInt16BigEndian(h[10..], InternetChecksum.Compute(h[..20]));
            return 20;
        }
        if (payloadLength > 65535)
        {
            return 0;
        }
        outer[..4].CopyTo(h);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], (ushort)payloadLength);
        h[6] = nextHeader;
        h[7] = outer[7];
        _meta.Source.WriteBytes(h[8..]);
        _meta.Destination.WriteBytes(h[24..]);
        return 40;
    }

    private FlowState Track(in FlowKey key, int originalLength, long timestamp, long frameNumber)
    {
        if (_flows.IsFull)
        {
            FlowState victim = _flows.Oldest!;
            Counters.FlowsEvicted++;
            EndFlow(victim, FlowEndReason.Forced);
        }
        FlowState flow = _flows.GetOrAdd(in key, out bool created);
        if (created)
        {
            Counters.FlowsCreated++;
            flow.Client = _meta.Source;
            flow.Server = _meta.Destination;
            flow.ClientPort = _meta.HasPorts ? _meta.SourcePort : (ushort)0;
            flow.ServerPort = _meta.HasPorts ? _meta.DestinationPort : (ushort)0;
            flow.Protocol = _meta.Protocol;
            flow.Kind = _meta.Kind;
            flow.Encapsulation = _meta.Encapsulation;
            flow.StartNanoseconds = timestamp;
            flow.FirstFrame = frameNumber;
            flow.SourceName = SourceName;
        }
        flow.LastNanoseconds = Math.Max(flow.LastNanoseconds, timestamp);
        bool toServer = key.IsEsp || (_meta.Source == flow.Client && (!_meta.HasPorts || _meta.SourcePort == flow.ClientPort));
        if (toServer)
        {
            flow.PacketsToServer++;
            flow.BytesToServer += originalLength;
        }
        else
        {
            flow.PacketsToClient++;
            flow.BytesToClient += originalLength;
        }
        return flow;
    }

    private void ExpireFlows()
    {
        while (_flows.Oldest is { } oldest && _now - oldest.LastNanoseconds > _flowTimeout)
        {
            Counters.FlowsTimedOut++;
            EndFlow(oldest, FlowEndReason.Timeout);
        }
    }

    private void EndFlow(FlowState flow, FlowEndReason reason)
    {
        _flows.Remove(flow);
        if (flow.Key.IsEsp)
        {
            _ike.OnEspFlowEnd(flow);
        }
        _sink.OnFlowEnd(flow, reason);
        _flows.Release(flow);
    }

    private void CountNetwork(EngineCounters c)
    {
        if (_meta.IPVersion == 4)
        {
            c.IPv4++;
        }
        else if (_meta.IPVersion == 6)
        {
            c.IPv6++;
        }
        else if (_meta.Anomaly == DecodeAnomaly.None)
        {
            c.NonIP++;
        }
    }

    private void Report(ReadOnlySpan<byte> bytes, long timestamp, long frameNumber, DecodeAnomaly anomaly)
    {
        Counters.Invalid++;
        Counters.CountAnomaly(anomaly);
        var context = new PacketContext(bytes, in _meta, timestamp, frameNumber, null);
        _sink.OnAnomaly(in context, anomaly);
    }
}
