using System.Buffers.Binary;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>Follows IKEv2 (RFC 7296) on the wire: one <see cref="IkeSa"/> per IKE SA, its messages paired and counted,
/// its state advanced by <see cref="IkeSaStateMachine"/>, its SK/SKF payloads decrypted when keys are given, and its
/// Child SAs handed to the ESP flows they protect.</summary>
/// <remarks>
/// <para>Per datagram (<see cref="Process"/>): the header and clear payloads are summarised
/// (<see cref="IkeMessageSummary"/>); IKEv1 is counted and reported, not parsed. The SA is found by initiator SPI and
/// endpoint pair, with the responder SPI once chosen (an IKE_SA_INIT retried after COOKIE or INVALID_KE_PAYLOAD keeps
/// the initiator SPI: one SA). Retransmissions are told by Message ID, flags and a hash of the octets. With keys for
/// the SPI pair the SK payload is verified and decrypted (<see cref="IkeSaDecryptor"/>) and SKF fragments are joined
/// (<see cref="IkeFragmentReassembler"/>). The sink gets exactly one <see cref="IEventSink.OnIkeMessage"/> per datagram,
/// then an anomaly for a malformed message.</para>
/// <para>Memory is bounded: at most <see cref="IkeTrackerOptions.Capacity"/> SAs, in three least-recently-active lists
/// (half-open, established, terminal) that expire on packet time; SA objects, dictionaries and buffers are reused, so a
/// message allocates nothing and a new SA allocates only until the pool is warm. Single-threaded.</para>
/// </remarks>
public sealed partial class IkeTracker : IDisposable
{
    private const int HalfOpenClass = 0;
    private const int EstablishedClass = 1;
    private const int TerminalClass = 2;

    private readonly IEventSink _sink;
    private readonly EngineCounters _engine;
    private readonly IkeTrackerOptions _options;
    private readonly long[] _timeouts = new long[3];
    private readonly long _rekeyWindow;
    private readonly Dictionary<ulong, IkeSa> _bySpi;
    private readonly Stack<IkeSa> _pool = new();
    private readonly IkeSa?[] _oldest = new IkeSa?[3];
    private readonly IkeSa?[] _newest = new IkeSa?[3];
    private readonly Dictionary<(ulong, ulong), IkeSaDecryptor?> _keys = [];
    private readonly Dictionary<uint, IkeEspKey> _espKeys = [];
    private readonly Dictionary<uint, IkeChildRef> _children = [];
    private readonly Dictionary<IkeAddressPair, IkeSaRef> _pairs = [];
    private readonly Dictionary<NetworkAddress, (ulong Spi, long Nanoseconds)> _redirectedClients = [];
    private readonly byte[] _plaintext = new byte[IkeFragmentReassembler.MaxMessageLength];
    private readonly byte[] _reassembled = new byte[IkeFragmentReassembler.MaxMessageLength];
    private readonly IkeFragmentReassembler _fragments;
    private readonly IkeMessageScan _scan = new();
    private readonly IkeMessageRecord _record = new();
    private int _count;
    private long _nextSerial = 1;
    private long _generation = 1;

    /// <param name="options">Limits, timeouts and keys.</param>
    /// <param name="sink">Receives the <c>ike</c> and <c>ike_sa</c> events and IKE anomalies.</param>
    /// <param name="engineCounters">The pipeline's counters, where IKE anomalies are counted with the others.</param>
    /// <exception cref="NotSupportedException">Never: key rows whose cipher cannot be decrypted are kept and their
    /// messages reported as <see cref="IkeDecryption.Unsupported"/>.</exception>
    public IkeTracker(IkeTrackerOptions options, IEventSink sink, EngineCounters engineCounters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(engineCounters);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        _options = options;
        _sink = sink;
        _engine = engineCounters;
        _timeouts[HalfOpenClass] = options.HalfOpenTimeout.Ticks * 100;
        _timeouts[EstablishedClass] = options.EstablishedTimeout.Ticks * 100;
        _timeouts[TerminalClass] = options.TerminalLinger.Ticks * 100;
        _rekeyWindow = options.RekeyInferenceWindow.Ticks * 100;
        _bySpi = new Dictionary<ulong, IkeSa>(Math.Min(options.Capacity, 1 << 12));
        _fragments = new IkeFragmentReassembler(options.FragmentSlots);
        foreach (Wire.Ike.Keys.IkeKeyTableEntry entry in options.IkeKeys)
        {
            IkeSaDecryptor? decryptor = IkeSkDecryptor.IsSupportedEncryption(entry.Encryption) ? IkeSaDecryptor.FromKeyTableEntry(entry) : null;
            if (_keys.Remove((entry.InitiatorSpi, entry.ResponderSpi), out IkeSaDecryptor? previous))
            {
                previous?.Dispose();
            }
            _keys[(entry.InitiatorSpi, entry.ResponderSpi)] = decryptor;
        }
        foreach (Wire.Ike.Keys.EspSaEntry entry in options.EspKeys)
        {
            if (entry.Spi is uint spi)
            {
                _espKeys[spi] = IkeEspKey.From(entry);
            }
        }
    }

    public IkeTrackerOptions Options => _options;

    public IkeCounters Counters { get; } = new();

    /// <summary>IKE SAs tracked now.</summary>
    public int Count => _count;

    /// <summary>Number of key-table rows (IKE SAs that can be decrypted).</summary>
    public int KeyCount => _keys.Count;

    /// <summary>Changes whenever a Child SA, an established SA or a key becomes linkable: ESP flows retry linking then.</summary>
    internal long LinkGeneration => _generation;

    /// <summary>Processes one IKE datagram.</summary>
    /// <param name="packet">The packet (its flow is the IKE UDP flow).</param>
    /// <param name="message">From the first IKE header octet (after the non-ESP marker on 4500) to the end of the UDP
    /// payload as captured.</param>
    public void Process(in PacketContext packet, ReadOnlySpan<byte> message)
    {
        IkeMessageRecord record = _record;
        record.Clear();
        Counters.Messages++;
        if (!IkeMessageSummary.TryRead(message, out record.Summary))
        {
            Counters.Unsupported++;
            ReportAnomaly(in packet, DecodeAnomaly.IkePacketTooSmall);
            return;
        }
        if (record.Summary.IsIkeV1)
        {
            Counters.IkeV1++;
            _sink.OnIkeMessage(in packet, record);
            return;
        }
        if (!record.Summary.IsIkeV2)
        {
            Counters.Unsupported++;
            _sink.OnIkeMessage(in packet, record);
            ReportAnomaly(in packet, record.Summary.Anomaly);
            return;
        }
        ProcessV2(in packet, message[..record.Summary.MessageLength]);
    }

    /// <summary>Ends SAs idle past their class's timeout (terminal SAs after their linger) at packet time
    /// <paramref name="now"/>.</summary>
    public void Expire(long now)
    {
        for (int c = 0; c < 3; c++)
        {
            while (_oldest[c] is { } sa && now - sa.ActivityNanoseconds > _timeouts[c])
            {
                if (c == EstablishedClass && now - sa.LastEspNanoseconds <= _timeouts[c])
                {
                    // Its ESP flows are still active: keep it, as if touched by them.
                    sa.ActivityNanoseconds = sa.LastEspNanoseconds;
                    Move(sa, c);
                    if (_oldest[c] == sa)
                    {
                        break;
                    }
                    continue;
                }
                EndSa(sa, c == TerminalClass ? IkeSaEnd.Terminal : IkeSaEnd.TimedOut);
            }
        }
    }

    /// <summary>Ends every tracked SA ("shutdown", or its terminal state) and writes their records: terminal SAs first,
    /// then half-open, then established, each oldest first.</summary>
    public void Finish()
    {
        EndAll(TerminalClass, IkeSaEnd.Terminal);
        EndAll(HalfOpenClass, IkeSaEnd.Shutdown);
        EndAll(EstablishedClass, IkeSaEnd.Shutdown);
        _fragments.Clear();
    }

    /// <summary>Forgets every SA without writing records and zeroes the counters, keeping pools and buffers.</summary>
    public void Reset()
    {
        for (int c = 0; c < 3; c++)
        {
            while (_oldest[c] is { } sa)
            {
                Unlink(sa);
                sa.Reset();
                _pool.Push(sa);
            }
        }
        _bySpi.Clear();
        _children.Clear();
        _pairs.Clear();
        _redirectedClients.Clear();
        _fragments.Clear();
        _count = 0;
        _nextSerial = 1;
        _generation = 1;
        Counters.Reset();
    }

    public void Dispose()
    {
        foreach (IkeSaDecryptor? decryptor in _keys.Values)
        {
            decryptor?.Dispose();
        }
        _keys.Clear();
    }

    private void EndAll(int expiryClass, IkeSaEnd end)
    {
        while (_oldest[expiryClass] is { } sa)
        {
            EndSa(sa, end);
        }
    }

    private void ProcessV2(in PacketContext packet, ReadOnlySpan<byte> message)
    {
        IkeMessageRecord record = _record;
        ref IkeMessageSummary summary = ref record.Summary;
        Counters.CountExchange(summary.ExchangeType);
        long now = packet.TimestampNanoseconds;
        DecodeAnomaly anomaly = summary.Anomaly;
        if (anomaly == DecodeAnomaly.IkeBadLength && !packet.Meta.IsWhole && summary.Length > (uint)message.Length)
        {
            // The snap length cut the datagram: not the sender's fault.
            anomaly = DecodeAnomaly.None;
        }

        IkeSa sa = FindOrCreate(in packet, in summary, now);
        record.Sa = sa;
        sa.Messages++;
        if (now > sa.LastNanoseconds)
        {
            sa.LastNanoseconds = now;
        }
        if (now > sa.ActivityNanoseconds)
        {
            sa.ActivityNanoseconds = now;
        }
        Move(sa, ClassOf(sa.State));

        IkeEvents events = record.Events;
        if (sa.Messages == 1 && sa.Midstream)
        {
            events |= IkeEvents.Midstream;
        }
        bool retransmission = sa.SeenBefore(summary.MessageId, (byte)summary.Flags, message.Length, MessageDigest(message));
        if (retransmission)
        {
            events |= IkeEvents.Retransmission;
            sa.Retransmissions++;
            Counters.Retransmissions++;
        }

        IkeMessageScan scan = _scan;
        scan.Clear();
        scan.Scan(message, IkeHeader.Size, summary.FirstPayload);
        if (summary.Payloads.HasEncrypted)
        {
            events |= Decrypt(sa, message, now, retransmission);
        }
        if (anomaly == DecodeAnomaly.None && record.Decryption == IkeDecryption.Decrypted)
        {
            anomaly = record.Inner.Anomaly;
        }
        if (anomaly == DecodeAnomaly.None && scan.Malformed)
        {
            anomaly = DecodeAnomaly.IkeMalformed;
        }
        if (!retransmission)
        {
            events |= Apply(sa, in packet, now);
        }

        record.Events = events;
        sa.Events |= events;
        Counters.CountEvents(events);
        Describe(record, scan);
        _sink.OnIkeMessage(in packet, record);
        if (anomaly != DecodeAnomaly.None)
        {
            ReportAnomaly(in packet, anomaly);
        }
    }

    /// <summary>Decrypts the SK/SKF payload with the SA's keys and scans the inner chain.</summary>
    private IkeEvents Decrypt(IkeSa sa, ReadOnlySpan<byte> message, long now, bool retransmission)
    {
        IkeMessageRecord record = _record;
        ref IkeMessageSummary summary = ref record.Summary;
        bool fragment = summary.Payloads.EncryptedPayloadType == IkePayloadType.EncryptedFragment;
        if (fragment)
        {
            sa.Fragments++;
            Counters.Fragments++;
        }
        if (!_keys.TryGetValue((summary.InitiatorSpi, summary.ResponderSpi), out IkeSaDecryptor? decryptor))
        {
            record.Decryption = IkeDecryption.NoKeys;
            return IkeEvents.None;
        }
        if (decryptor is null)
        {
            record.Decryption = IkeDecryption.Unsupported;
            return IkeEvents.None;
        }
        IkeDecryptResult result = decryptor.Decrypt(message, in summary, _plaintext);
        switch (result.Status)
        {
            case IkeDecryptStatus.Ok:
                break;
            case IkeDecryptStatus.IntegrityFailed:
            case IkeDecryptStatus.BadPadding:
                record.Decryption = IkeDecryption.IntegrityFailed;
                Counters.DecryptFailed++;
                return IkeEvents.IntegrityFailed;
            default:
                record.Decryption = IkeDecryption.Malformed;
                Counters.DecryptFailed++;
                return IkeEvents.None;
        }
        ReadOnlySpan<byte> inner = _plaintext.AsSpan(0, result.PayloadsLength);
        IkePayloadType first = result.FirstPayload;
        IkeEvents events = IkeEvents.None;
        if (result.IsFragment)
        {
            if (retransmission)
            {
                record.Decryption = IkeDecryption.FragmentPending;
                return IkeEvents.None;
            }
            IkeFragmentResult joined = _fragments.Add(sa.Serial, summary.MessageId, summary.IsInitiator, result.FragmentNumber, result.TotalFragments,
                result.FirstPayload, inner, now, _reassembled, out int length, out first);
            if (joined != IkeFragmentResult.Complete)
            {
                record.Decryption = IkeDecryption.FragmentPending;
                return IkeEvents.None;
            }
            inner = _reassembled.AsSpan(0, length);
            events |= IkeEvents.FragmentReassembled;
            Counters.Reassembled++;
        }
        IkePayloadSummary.Read(inner, 0, first, out record.Inner);
        _scan.Scan(inner, 0, first);
        record.Decryption = IkeDecryption.Decrypted;
        sa.DecryptedMessages++;
        Counters.Decrypted++;
        return events;
    }

    /// <summary>Copies what EVE shows of the message (redirect, QCD, EAP) into the record.</summary>
    private static void Describe(IkeMessageRecord record, IkeMessageScan scan)
    {
        if (scan.HasRedirect)
        {
            record.RedirectNotify = IkeNotifyType.Redirect;
            record.RedirectGateway = scan.RedirectGateway;
        }
        else if (scan.HasRedirectedFrom)
        {
            record.RedirectNotify = IkeNotifyType.RedirectedFrom;
            record.RedirectGateway = scan.RedirectedFromGateway;
        }
        record.QcdTokens = scan.QcdTokens;
        if (scan.QcdTokens > 0)
        {
            record.QcdToken = scan.QcdToken;
        }
        if ((scan.Facts & IkeMessageFacts.Eap) != 0)
        {
            record.HasEap = true;
            record.EapCode = scan.EapCode;
            record.EapIdentifier = scan.EapIdentifier;
            record.EapType = scan.EapType;
        }
    }

    private IkeSa FindOrCreate(in PacketContext packet, in IkeMessageSummary summary, long now)
    {
        ref readonly PacketMeta meta = ref packet.Meta;
        IkeSa? sa = Find(summary.InitiatorSpi, summary.ResponderSpi, meta.Source, meta.Destination);
        if (sa is not null)
        {
            if (sa.ResponderSpi == 0 && summary.ResponderSpi != 0)
            {
                sa.ResponderSpi = summary.ResponderSpi;
            }
            return sa;
        }
        bool init = summary.ExchangeType is IkeExchangeType.IkeSaInit or IkeExchangeType.IkeSessionResume;
        // The original initiator: the sender of IKE_SA_INIT requests; otherwise the I flag tells (RFC 7296 §3.1).
        bool senderIsInitiator = init ? !summary.IsResponse : summary.IsInitiator;
        sa = Allocate(now);
        sa.InitiatorSpi = summary.InitiatorSpi;
        sa.ResponderSpi = summary.ResponderSpi;
        sa.Initiator = senderIsInitiator ? meta.Source : meta.Destination;
        sa.Responder = senderIsInitiator ? meta.Destination : meta.Source;
        sa.InitiatorPort = senderIsInitiator ? meta.SourcePort : meta.DestinationPort;
        sa.ResponderPort = senderIsInitiator ? meta.DestinationPort : meta.SourcePort;
        sa.FirstFrame = packet.FrameNumber;
        sa.SourceName = packet.Flow?.SourceName;
        sa.FlowId = packet.Flow?.Id ?? 0;
        sa.Midstream = !init;
        Insert(sa);
        if (!init && summary.ResponderSpi != 0 && summary.MessageId < 4)
        {
            TryInferRekey(sa, now);
        }
        return sa;
    }

    /// <summary>The SA with this initiator SPI between these addresses; else one whose responder SPI matches too (the
    /// endpoints moved: NAT rebinding, MOBIKE); else null.</summary>
    private IkeSa? Find(ulong initiatorSpi, ulong responderSpi, NetworkAddress source, NetworkAddress destination)
    {
        if (!_bySpi.TryGetValue(initiatorSpi, out IkeSa? head))
        {
            return null;
        }
        IkeSa? moved = null;
        for (IkeSa? sa = head; sa is not null; sa = sa.NextSameSpi)
        {
            if (sa.ResponderSpi != 0 && responderSpi != 0 && sa.ResponderSpi != responderSpi)
            {
                continue;
            }
            bool samePair = (sa.Initiator == source && sa.Responder == destination) || (sa.Initiator == destination && sa.Responder == source);
            if (samePair)
            {
                return sa;
            }
            if (sa.ResponderSpi != 0 && sa.ResponderSpi == responderSpi)
            {
                moved ??= sa;
            }
        }
        return moved;
    }

    /// <summary>A fresh SA from the pool; when the table is full the least recently active SA is evicted first
    /// (half-open, then terminal, then established), never <paramref name="keep"/> (the SA being rekeyed).</summary>
    private IkeSa Allocate(long now, IkeSa? keep = null)
    {
        if (_count >= _options.Capacity && Victim(keep) is { } victim)
        {
            EndSa(victim, IkeSaEnd.Evicted);
        }
        IkeSa sa = _pool.Count > 0 ? _pool.Pop() : new IkeSa();
        sa.Serial = _nextSerial++;
        sa.StartNanoseconds = now;
        sa.LastNanoseconds = now;
        sa.ActivityNanoseconds = now;
        sa.State = IkeSaState.None;
        Counters.AddState(IkeSaState.None);
        Counters.SasCreated++;
        _count++;
        return sa;
    }

    private IkeSa? Victim(IkeSa? keep) =>
        OldestBut(HalfOpenClass, keep) ?? OldestBut(TerminalClass, keep) ?? OldestBut(EstablishedClass, keep);

    private IkeSa? OldestBut(int expiryClass, IkeSa? keep)
    {
        IkeSa? candidate = _oldest[expiryClass];
        return candidate is not null && candidate == keep ? candidate.Newer : candidate;
    }

    private void Insert(IkeSa sa)
    {
        if (_bySpi.TryGetValue(sa.InitiatorSpi, out IkeSa? head))
        {
            sa.NextSameSpi = head.NextSameSpi;
            head.NextSameSpi = sa;
        }
        else
        {
            _bySpi[sa.InitiatorSpi] = sa;
        }
        Move(sa, HalfOpenClass);
    }

    private void EndSa(IkeSa sa, IkeSaEnd end)
    {
        sa.End = end;
        _sink.OnIkeSaEnd(sa);
        Counters.SasEnded++;
        Counters.RemoveState(sa.State);
        Unlink(sa);
        RemoveFromSpiIndex(sa);
        foreach (ref readonly IkeChildSa child in sa.ChildSas)
        {
            RemoveChildIndex(child.InitiatorSpi, sa);
            RemoveChildIndex(child.ResponderSpi, sa);
        }
        IkeAddressPair pair = IkeAddressPair.Of(sa.Initiator, sa.Responder);
        if (_pairs.TryGetValue(pair, out IkeSaRef latest) && latest.Sa == sa)
        {
            _pairs.Remove(pair);
        }
        _count--;
        sa.Reset();
        _pool.Push(sa);
    }

    private void RemoveChildIndex(uint spi, IkeSa sa)
    {
        if (_children.TryGetValue(spi, out IkeChildRef child) && child.Sa == sa)
        {
            _children.Remove(spi);
        }
    }

    private void RemoveFromSpiIndex(IkeSa sa)
    {
        if (!_bySpi.TryGetValue(sa.InitiatorSpi, out IkeSa? head))
        {
            return;
        }
        if (head == sa)
        {
            if (sa.NextSameSpi is { } next)
            {
                _bySpi[sa.InitiatorSpi] = next;
            }
            else
            {
                _bySpi.Remove(sa.InitiatorSpi);
            }
            return;
        }
        for (IkeSa? x = head; x is not null; x = x.NextSameSpi)
        {
            if (x.NextSameSpi == sa)
            {
                x.NextSameSpi = sa.NextSameSpi;
                return;
            }
        }
    }

    private static int ClassOf(IkeSaState state) => state switch
    {
        IkeSaState.None or IkeSaState.HalfOpen => HalfOpenClass,
        IkeSaState.Established => EstablishedClass,
        _ => TerminalClass,
    };

    /// <summary>Makes <paramref name="sa"/> the most recently active SA of expiry class <paramref name="c"/>.</summary>
    private void Move(IkeSa sa, int c)
    {
        Unlink(sa);
        sa.ExpiryClass = c;
        sa.Older = _newest[c];
        sa.Newer = null;
        if (_newest[c] is { } newest)
        {
            newest.Newer = sa;
        }
        _newest[c] = sa;
        _oldest[c] ??= sa;
    }

    private void Unlink(IkeSa sa)
    {
        int c = sa.ExpiryClass;
        if (c < 0)
        {
            return;
        }
        if (sa.Older is not null)
        {
            sa.Older.Newer = sa.Newer;
        }
        else if (_oldest[c] == sa)
        {
            _oldest[c] = sa.Newer;
        }
        if (sa.Newer is not null)
        {
            sa.Newer.Older = sa.Older;
        }
        else if (_newest[c] == sa)
        {
            _newest[c] = sa.Older;
        }
        sa.Older = sa.Newer = null;
        sa.ExpiryClass = -1;
    }

    private void ReportAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
        _engine.Invalid++;
        _engine.CountAnomaly(anomaly);
        _sink.OnAnomaly(in packet, anomaly);
    }

    /// <summary>A 64-bit digest of the message: enough to tell a retransmission from a new message with the same ID.</summary>
    /// <remarks>FNV-1a's step over 8-byte words instead of bytes (eight times fewer dependent multiplications). Each
    /// step is a bijection of the running hash, so two messages that differ in one word always differ.</remarks>
    private static ulong MessageDigest(ReadOnlySpan<byte> bytes)
    {
        const ulong Prime = 1099511628211UL;
        ulong hash = 14695981039346656037UL;
        while (bytes.Length >= sizeof(ulong))
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Prime;
            bytes = bytes[sizeof(ulong)..];
        }
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }
        return hash;
    }
}
