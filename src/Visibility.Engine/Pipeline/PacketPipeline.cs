using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Buffers.Binary;
using Visibility.Engine.Defrag;
using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Inspection;
using Visibility.Engine.Ike;
using Visibility.Wire;
using Visibility.Wire.Esp;
using Visibility.Wire.Ike;

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

    // Flows of decapsulated inner packets: direction and "established" for rules; they write no EVE flow records.
    private readonly InnerFlowTable _innerFlows;
    private PacketMeta _innerMeta;
    private RuleSet _rules = RuleSet.Empty;
    private RuleEvaluator? _evaluator;

    // The packet under inspection, for alerts raised by the evaluator.
    private NetworkAddress _alertSource;
    private NetworkAddress _alertDestination;
    private ushort _alertSourcePort;
    private ushort _alertDestinationPort;
    private IPProtocol _alertProtocol;
    private bool _alertHasPorts;
    private bool _alertDecapsulated;

    // Transport-mode cleartext is exported behind an IP header built from the outer one (contract: --write-inner).
    private readonly byte[] _inner = new byte[40 + 65535];
    private readonly bool _innerPackets;
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
        _innerPackets = options.InnerPackets;
        _esp = new EspClassifier(options.Esp);
        _innerFlows = new InnerFlowTable(Math.Max(1, options.FlowCapacity / 4));
        _ike = new IkeTracker(options.Ike, sink, Counters);
        Options = options;
    }

    public PipelineOptions Options { get; }

    public EngineCounters Counters { get; } = new();

    /// <summary>The flow table (read it for gauges; do not modify it).</summary>
    public FlowTable Flows => _flows;

    public FragmentReassembler Defrag => _defrag;

    /// <summary>The compiled rules every inspected packet meets. Setting it swaps the rule set atomically between
    /// packets (reload); each pipeline keeps its own evaluator state.</summary>
    public RuleSet Rules
    {
        get => _rules;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            // Written by a reload thread, read per packet by the processing thread: one reference swap, seen whole.
            Volatile.Write(ref _evaluator, value.Count > 0 || value.Inspectors.Count > 0 ? value.CreateEvaluator() : null);
            _rules = value;
        }
    }
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
        AdvanceTime(timestampNanoseconds);

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

    /// <summary>Moves packet time forward to <paramref name="timestampNanoseconds"/> (never back), ending the flows
    /// and IKE SAs idle past their timeout. <see cref="Process"/> does this first; a caller that spreads packets over
    /// several pipelines calls it on every pipeline for every packet, so expiry happens at the same packet whatever
    /// the spread.</summary>
    public void AdvanceTime(long timestampNanoseconds)
    {
        if (timestampNanoseconds > _now)
        {
            _now = timestampNanoseconds;
            ExpireFlows();
            _ike.Expire(_now);
        }
    }

    /// <summary>Run-wide 1-based number of the packet about to be processed (over every input of the run), set by the
    /// caller before <see cref="Process"/>; 0 (the default) when the caller does not number packets. When set, a
    /// flow created by the packet takes it as its id, so flow ids do not depend on how packets are spread over
    /// pipelines.</summary>
    public long Sequence { get; set; }

    /// <summary>Ends every open flow ("shutdown") and writes their records, oldest first; then every IKE SA still
    /// tracked (their ESP flows are linked by then).</summary>
    public void Finish()
    {
        EndOldestFlows(int.MaxValue);
        _ike.Finish();
        _defrag.Clear();
    }

    /// <summary>The first part of <see cref="Finish"/>, in steps: ends up to <paramref name="limit"/> open flows,
    /// oldest first ("shutdown"), and writes their records. True while open flows remain. Lets a caller write a long
    /// run's final records in pieces rather than holding them all at once.</summary>
    public bool EndOldestFlows(int limit)
    {
        for (int ended = 0; ended < limit; ended++)
        {
            if (_flows.Oldest is not { } flow)
            {
                return false;
            }
            EndFlow(flow, FlowEndReason.Shutdown);
        }
        return _flows.Oldest is not null;
    }

    /// <summary>Ends ("shutdown") the open flows whose last packet's <see cref="Sequence"/> is at most
    /// <paramref name="sequence"/>, oldest first, and writes their records: one piece of <see cref="Finish"/> that
    /// several pipelines fed from one numbered run can take together, each piece in the run's order.</summary>
    public void EndFlowsSeenUpTo(long sequence)
    {
        while (_flows.Oldest is { } flow && flow.LastSequence <= sequence)
        {
            EndFlow(flow, FlowEndReason.Shutdown);
        }
    }

    /// <summary>The <see cref="FlowState.LastSequence"/> of every open flow, oldest first (which is ascending), added to
    /// <paramref name="into"/>.</summary>
    public void CollectOpenFlowSequences(List<long> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (FlowState flow in _flows.OldestFirst())
        {
            into.Add(flow.LastSequence);
        }
    }

    /// <summary>Forgets all state and zeroes the counters, keeping pools and buffers for the next run.</summary>
    public void Reset()
    {
        _flows.Clear();
        _innerFlows.Clear();
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
            if (_evaluator is not null)
            {
                Inspect(bytes, in _meta, default, InspectionProtocol.Other, null, PacketDirection.Unknown, false, false, timestamp, frameNumber,
                    _meta.Anomaly);
            }
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
                    if (header.Encrypted)
                    {
                        c.WespEncrypted++;
                    }
                    else
                    {
                        c.WespNotEncrypted++;
                    }
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
        bool cleartextInspected = false;
        if (key.IsEsp)
        {
            cleartextInspected = InspectEsp(bytes, flow, timestamp, frameNumber);
        }
        else if (_meta.Kind == PayloadKind.Ike)
        {
            InspectIke(bytes, flow, timestamp, frameNumber);
        }
        if (_evaluator is not null)
        {
            InspectPacket(bytes, flow, timestamp, frameNumber, cleartextInspected);
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

    /// <summary>Rules over the packet as it is on the wire (ESP and IKE packets included). An ESP/WESP packet whose
    /// cleartext the rules saw as the inner packet (<paramref name="cleartextInspected"/>) meets only <c>esp</c> rules,
    /// so decapsulation stays transparent: an <c>ip</c> rule alerts once, on the inner packet, as it would without ESP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InspectPacket(ReadOnlySpan<byte> bytes, FlowState flow, long timestamp, long frameNumber, bool cleartextInspected)
    {
        InspectionProtocol protocol = ProtocolOf(_meta.Kind);
        RuleEvaluator? evaluator = Volatile.Read(ref _evaluator);
        if (evaluator is null || !MayMatch(evaluator, in _meta, protocol, flow, DecodeAnomaly.None, cleartextInspected))
        {
            return;
        }
        ReadOnlySpan<byte> payload = protocol switch
        {
            InspectionProtocol.Esp when _meta.Kind == PayloadKind.Wesp => bytes[_meta.WespOffset.._meta.NetworkEnd],
            InspectionProtocol.Esp => bytes[_meta.EspOffset..Math.Min(_meta.EspOffset + _meta.EspLength, _meta.NetworkEnd)],
            InspectionProtocol.Ike => bytes.Slice(_meta.IkeOffset, Math.Min(_meta.IkeLength, bytes.Length - _meta.IkeOffset)),
            _ => bytes.Slice(_meta.PayloadOffset, Math.Min(_meta.PayloadLength, Math.Max(0, bytes.Length - _meta.PayloadOffset))),
        };
        PacketDirection direction = _meta.Source == flow.Client && (!_meta.HasPorts || _meta.SourcePort == flow.ClientPort)
            ? PacketDirection.ToServer
            : PacketDirection.ToClient;
        if (protocol == InspectionProtocol.Ike && IkeMessageSummary.TryRead(payload, out IkeMessageSummary ike))
        {
            // The clear payloads of the message: notify types and a REDIRECT / REDIRECTED_FROM gateway for ike.* keywords.
            ReadOnlySpan<byte> identity = ike.Payloads.RedirectGatewayIdentity;
            NetworkAddress gatewayAddress = ike.Payloads.RedirectGatewayType switch
            {
                GatewayIdentityType.IPv4Address when identity.Length == 4 => NetworkAddress.FromIPv4(identity),
                GatewayIdentityType.IPv6Address when identity.Length == 16 => NetworkAddress.FromIPv6(identity),
                _ => default,
            };
            ReadOnlySpan<byte> gatewayName = ike.Payloads.RedirectGatewayType == GatewayIdentityType.Fqdn ? identity : default;
            Inspect(bytes, in _meta, payload, protocol, flow, direction, flow.Established, false, timestamp, frameNumber, DecodeAnomaly.None,
                MemoryMarshal.Cast<IkeNotifyType, ushort>(ike.Payloads.NotifyTypes), gatewayName, gatewayAddress);
            return;
        }
        Inspect(bytes, in _meta, payload, protocol, flow, direction, flow.Established, false, timestamp, frameNumber,
            DecodeAnomaly.None, cleartextInspected: cleartextInspected);
    }

    /// <summary>Rules over a cleartext packet taken out of ESP-NULL/WESP: decoded with the same decoders, with its own
    /// inner flow for direction, and the outer SA's context. False when it did not decode as a packet (then the rules
    /// see the ESP packet instead).</summary>
    private bool InspectInner(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> cleartext, bool tunnel, byte nextHeader, FlowState esp,
        long timestamp, long frameNumber)
    {
        if (tunnel)
        {
            PacketDecoder.DecodeNetwork(cleartext, ref _innerMeta);
            packet = cleartext;
        }
        else
        {
            _innerMeta = _meta;
            PacketDecoder.DecodeTransport(cleartext, 0, cleartext.Length, (IPProtocol)nextHeader, ref _innerMeta);
            _innerMeta.Protocol = (IPProtocol)nextHeader;
            packet = cleartext;
        }
        if (_innerMeta.Anomaly != DecodeAnomaly.None || (tunnel && _innerMeta.IPVersion == 0))
        {
            return false;
        }
        FlowKey key = _innerMeta.HasPorts
            ? FlowKey.ForPorts(_innerMeta.Source, _innerMeta.SourcePort, _innerMeta.Destination, _innerMeta.DestinationPort, _innerMeta.Protocol)
            : FlowKey.ForPorts(_innerMeta.Source, 0, _innerMeta.Destination, 0, _innerMeta.Protocol);
        bool fromFirst = key.First == _innerMeta.Source && key.FirstPort == (_innerMeta.HasPorts ? _innerMeta.SourcePort : 0);
        PacketDirection direction = _innerFlows.Observe(in key, fromFirst, out bool established)
            ? PacketDirection.ToServer
            : PacketDirection.ToClient;
        int start = Math.Min(_innerMeta.PayloadOffset, packet.Length);
        ReadOnlySpan<byte> payload = packet.Slice(start, Math.Min(_innerMeta.PayloadLength, packet.Length - start));
        Inspect(packet, in _innerMeta, payload, ProtocolOf(_innerMeta.Kind), esp, direction, established, true, timestamp, frameNumber,
            DecodeAnomaly.None);
        return true;
    }

    private static InspectionProtocol ProtocolOf(PayloadKind kind) => kind switch
    {
        PayloadKind.Tcp => InspectionProtocol.Tcp,
        PayloadKind.Udp or PayloadKind.NatKeepalive => InspectionProtocol.Udp,
        PayloadKind.Icmp or PayloadKind.IcmpV6 => InspectionProtocol.Icmp,
        PayloadKind.Esp or PayloadKind.Wesp => InspectionProtocol.Esp,
        PayloadKind.Ike => InspectionProtocol.Ike,
        _ => InspectionProtocol.Other,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Inspect(ReadOnlySpan<byte> bytes, in PacketMeta meta, ReadOnlySpan<byte> payload, InspectionProtocol protocol,
        FlowState? flow, PacketDirection direction, bool established, bool decapsulated, long timestamp, long frameNumber,
        DecodeAnomaly anomaly,
        ReadOnlySpan<ushort> ikeNotifies = default, ReadOnlySpan<byte> ikeGateway = default, NetworkAddress ikeGatewayAddress = default,
        bool cleartextInspected = false)
    {
        RuleEvaluator? evaluator = Volatile.Read(ref _evaluator);
        if (evaluator is null || !MayMatch(evaluator, in meta, protocol, flow, anomaly, cleartextInspected))
        {
            return;
        }
        bool esp = flow is not null && flow.Key.IsEsp;
        EspVerdictKind verdict = !esp ? EspVerdictKind.Unknown : flow!.Esp.Verdict switch
        {
            EspSaVerdict.Null => EspVerdictKind.Null,
            EspSaVerdict.Encrypted => EspVerdictKind.Encrypted,
            _ => EspVerdictKind.Unknown,
        };
        var context = new InspectionContext
        {
            Protocol = protocol,
            Source = meta.Source,
            Destination = meta.Destination,
            SourcePort = meta.HasPorts ? meta.SourcePort : (ushort)0,
            DestinationPort = meta.HasPorts ? meta.DestinationPort : (ushort)0,
            Payload = payload,
            Direction = direction,
            FlowEstablished = established,
            EspSpi = esp ? flow!.Spi : 0,
            EspVerdict = verdict,
            EspIcvLength = esp && flow!.Esp.Verdict == EspSaVerdict.Null ? flow.Esp.IcvLength : -1,
            EspEncapsulation = esp ? flow!.Encapsulation : EspEncapsulation.None,
            IkeExchangeType = protocol == InspectionProtocol.Ike && payload.Length > 18 ? payload[18] : (byte)0,
            IkeNotifyTypes = ikeNotifies,
            IkeRedirectGateway = ikeGateway,
            IkeRedirectGatewayAddress = ikeGatewayAddress,
            Anomaly = anomaly,
            TimestampNanoseconds = timestamp,
            CleartextInspected = cleartextInspected,
        };
        _alertSource = meta.Source;
        _alertDestination = meta.Destination;
        _alertSourcePort = meta.HasPorts ? meta.SourcePort : (ushort)0;
        _alertDestinationPort = meta.HasPorts ? meta.DestinationPort : (ushort)0;
        _alertProtocol = meta.Protocol;
        _alertHasPorts = meta.HasPorts;
        _alertDecapsulated = decapsulated;
        var collector = new AlertCollector(this, bytes, timestamp, frameNumber, flow);
        evaluator.Evaluate(in context, ref collector);
    }

    /// <summary>The rule set's bucket check, before any per-packet inspection work: false when no rule or inspector
    /// can see a packet of this protocol on these ports.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MayMatch(RuleEvaluator evaluator, in PacketMeta meta, InspectionProtocol protocol, FlowState? flow,
        DecodeAnomaly anomaly, bool cleartextInspected = false) =>
        evaluator.MayMatch(protocol, flow is not null && flow.Key.IsEsp ? flow.Encapsulation : EspEncapsulation.None,
            meta.HasPorts ? meta.SourcePort : (ushort)0, meta.HasPorts ? meta.DestinationPort : (ushort)0, anomaly, cleartextInspected);

    /// <summary>Called by the evaluator (through <see cref="AlertCollector"/>) for each matching signature.</summary>
    internal void RaiseAlert(in RuleMatch match, ReadOnlySpan<byte> bytes, long timestamp, long frameNumber, FlowState? flow)
    {
        if (match.Action == RuleAction.Pass)
        {
            return;
        }
        Counters.Alerts++;
        if (match.Action == RuleAction.Drop)
        {
            Counters.DropVerdicts++;
        }
        var alert = new AlertEvent(match.Rule, _alertSource, _alertDestination, _alertSourcePort, _alertDestinationPort, _alertProtocol,
            _alertHasPorts, _alertDecapsulated);
        var context = new PacketContext(bytes, in _meta, timestamp, frameNumber, flow);
        _sink.OnAlert(in context, in alert);
    }

    /// <summary>Runs the ESP-NULL classifier (or reads the WESP header) and hands out any cleartext. True when the
    /// cleartext went to the rules as the inner packet.</summary>
    private bool InspectEsp(ReadOnlySpan<byte> bytes, FlowState flow, long timestamp, long frameNumber)
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
            return false;
        }

        Counters.EspCleartext++;
        ReadOnlySpan<byte> cleartext = bytes.Slice(start + verdict.CleartextOffset, verdict.CleartextLength);
        if (_innerPackets)
        {
            HandOutInner(in context, bytes, cleartext, verdict.Mode == EspMode.Tunnel, verdict.NextHeader);
        }
        return _evaluator is not null && verdict.NextHeader != (byte)IPProtocol.NoNextHeader
            && InspectInner(bytes, cleartext, verdict.Mode == EspMode.Tunnel, verdict.NextHeader, flow, timestamp, frameNumber);
    }

    /// <summary>Hands a cleartext packet to the sink as a whole IP packet: as it is in tunnel mode, behind an IP header
    /// built from the outer one in transport mode.</summary>
    private void HandOutInner(in PacketContext context, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> cleartext, bool tunnel, byte nextHeader)
    {
        if (tunnel)
        {
            _sink.OnInnerPacket(in context, cleartext);
            return;
        }
        int header = BuildTransportHeader(bytes[_meta.NetworkOffset..], nextHeader, cleartext.Length);
        if (header != 0)
        {
            cleartext.CopyTo(_inner.AsSpan(header));
            _sink.OnInnerPacket(in context, _inner.AsSpan(0, header + cleartext.Length));
        }
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
            if (Sequence != 0)
            {
                flow.Id = Sequence;
            }
            if (key.IsEsp)
            {
                Counters.EspFlowsCreated++;
            }
        }
        flow.LastSequence = Sequence;
        flow.LastNanoseconds = Math.Max(flow.LastNanoseconds, timestamp);
        bool toServer = key.IsEsp || (_meta.Source == flow.Client && (!_meta.HasPorts || _meta.SourcePort == flow.ClientPort));
        if (toServer)
        {
            flow.PacketsToServer++;
            flow.BytesToServer += originalLength;
            flow.SeenToServer = true;
        }
        else
        {
            flow.PacketsToClient++;
            flow.BytesToClient += originalLength;
            flow.SeenToClient = true;
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
