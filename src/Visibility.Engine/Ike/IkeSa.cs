using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>Everything the tracker knows about one IKE SA (EVE <c>ike_sa</c>).</summary>
/// <remarks>
/// <para>Identity: the initiator's SPI and the two endpoint addresses (the responder's SPI once chosen; RFC 7296 §2.6
/// looks SAs up by SPI). "Initiator" is the original initiator of this SA: the sender of its IKE_SA_INIT request, or for
/// an SA made by a rekey, the sender of the CREATE_CHILD_SA request (RFC 7296 §2.18).</para>
/// <para>Instances are pooled by <see cref="IkeTracker"/> and reused once the SA's record is written: never keep a
/// reference past <see cref="Events.IEventSink.OnIkeSaEnd"/>. All state is inline, so a reused SA allocates nothing.</para>
/// </remarks>
public sealed class IkeSa
{
    /// <summary>Child SAs kept per IKE SA. When full, a new one takes the slot of a deleted one, else of the oldest
    /// (counted in <see cref="ChildSasDropped"/>): a long-lived SA rekeys its children for ever.</summary>
    public const int MaxChildSas = 8;

    internal const int PendingSlots = 8;
    internal const int SeenSlots = 8;

    private readonly IkeChildSa[] _children = new IkeChildSa[MaxChildSas];
    private readonly IkePendingRequest[] _pending = new IkePendingRequest[PendingSlots];
    private readonly IkeSeenMessage[] _seen = new IkeSeenMessage[SeenSlots];
    private IkeOctetBuffer _qcdToken;

    /// <summary>Identities: IDi and IDr (decrypted IKE_AUTH), and the gateways of REDIRECT and REDIRECTED_FROM.</summary>
    public IkeIdentity InitiatorId;
    public IkeIdentity ResponderId;
    public IkeIdentity RedirectedTo;
    public IkeIdentity RedirectedFrom;

    /// <summary>The IKE SA proposals of the IKE_SA_INIT request (offered) and response (chosen).</summary>
    public IkeTransformList Offered;
    public IkeTransformList Chosen;

    /// <summary>Unique per SA instance within a run (pooled objects get a new serial when reused).</summary>
    public long Serial { get; internal set; }

    public ulong InitiatorSpi { get; internal set; }

    /// <summary>0 until the responder chose its SPI.</summary>
    public ulong ResponderSpi { get; internal set; }

    public NetworkAddress Initiator { get; internal set; }

    public NetworkAddress Responder { get; internal set; }

    public ushort InitiatorPort { get; internal set; }

    public ushort ResponderPort { get; internal set; }

    public IkeSaState State { get; internal set; }

    /// <summary>Why the record was written (set just before <see cref="Events.IEventSink.OnIkeSaEnd"/>).</summary>
    public IkeSaEnd End { get; internal set; }

    /// <summary>Packet times (ns since the Unix epoch) of the first and the last IKE message.</summary>
    public long StartNanoseconds { get; internal set; }

    public long LastNanoseconds { get; internal set; }

    /// <summary>When the SA became established (0 if never).</summary>
    public long EstablishedNanoseconds { get; internal set; }

    /// <summary>Last packet of a linked ESP flow.</summary>
    public long LastEspNanoseconds { get; internal set; }

    public long FirstFrame { get; internal set; }

    public string? SourceName { get; internal set; }

    /// <summary>The UDP flow of the first message (EVE <c>flow_id</c>).</summary>
    public long FlowId { get; internal set; }

    /// <summary>IKE messages (datagrams, fragments included) and how many of them were retransmissions.</summary>
    public long Messages { get; internal set; }

    public long Retransmissions { get; internal set; }

    public long DecryptedMessages { get; internal set; }

    /// <summary>The first message seen was not its IKE_SA_INIT (capture started mid-session).</summary>
    public bool Midstream { get; internal set; }

    /// <summary>Established known from a decrypted IKE_AUTH response with AUTH, not inferred.</summary>
    public bool EstablishedByDecryption { get; internal set; }

    /// <summary>IKE_SA_INIT requests resent with a COOKIE, and INVALID_KE_PAYLOAD answers (same SPI: one SA).</summary>
    public int CookieRetries { get; internal set; }

    public int InvalidKeRetries { get; internal set; }

    /// <summary>The KE group of the last IKE_SA_INIT request.</summary>
    public DhGroup KeyExchangeGroup { get; internal set; }

    /// <summary>The predecessor's SPIs when this SA came from an IKE rekey (0 otherwise).</summary>
    public ulong RekeyedFrom { get; internal set; }

    public ulong RekeyedFromResponderSpi { get; internal set; }

    /// <summary>The successor's SPIs once this SA was rekeyed.</summary>
    public ulong RekeyedTo { get; internal set; }

    public ulong RekeyedToResponderSpi { get; internal set; }

    /// <summary>The rekey was inferred (no keys): new SPIs between the same peers right after a CREATE_CHILD_SA.</summary>
    public bool RekeyInferred { get; internal set; }

    /// <summary>The SA that redirected this client (REDIRECTED_FROM in this SA's IKE_SA_INIT), 0 when unknown.</summary>
    public ulong RedirectedFromSa { get; internal set; }

    /// <summary>AUTH methods (decrypted IKE_AUTH); <see cref="AuthMethod.None"/> when not seen.</summary>
    public AuthMethod InitiatorAuthMethod { get; internal set; }

    public AuthMethod ResponderAuthMethod { get; internal set; }

    /// <summary>The initiator's first IKE_AUTH request had no AUTH: it asked for EAP (RFC 7296 §2.16).</summary>
    public bool InitiatorUsedEap { get; internal set; }

    /// <summary>The EAP method type last requested or used (0 when none).</summary>
    public byte EapType { get; internal set; }

    /// <summary>The initiator sent EAP_ONLY_AUTHENTICATION (RFC 5998 §3).</summary>
    public bool EapOnlyOffered { get; internal set; }

    /// <summary>RFC 5998 EAP-only authentication took place: offered, and the responder's first IKE_AUTH response carried
    /// EAP without AUTH.</summary>
    public bool EapOnly { get; internal set; }

    internal bool FirstAuthResponseSeen;

    /// <summary>Started by IKE_SESSION_RESUME (RFC 5723 §4.3).</summary>
    public bool Resumed { get; internal set; }

    public IkeTicketState Ticket { get; internal set; }

    /// <summary>QCD tokens seen (RFC 6290): in decrypted messages, or in the clear INVALID_IKE_SPI answer.</summary>
    public int QcdTokens { get; internal set; }

    /// <summary>An unprotected INVALID_IKE_SPI with a QCD token answered this SA.</summary>
    public bool PeerLostState { get; internal set; }

    /// <summary>The clear token matched the one taken earlier (decrypted), false when different, null when unknown.</summary>
    public bool? QcdTokenMatched { get; internal set; }

    /// <summary>RFC 6311 capabilities (decrypted IKE_AUTH) and the sync events seen.</summary>
    public bool MessageIdSyncSupported { get; internal set; }

    public bool ReplayCounterSyncSupported { get; internal set; }

    public int MessageIdSyncs { get; internal set; }

    public int ReplayCounterSyncs { get; internal set; }

    /// <summary>Clear signs of a cluster failover: Message ID 0 on a used SA, or a large Message ID jump.</summary>
    public int FailoverSigns { get; internal set; }

    /// <summary>USE_WESP_MODE was accepted for a Child SA.</summary>
    public bool Wesp { get; internal set; }

    /// <summary>IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT, and SKF messages seen.</summary>
    public bool FragmentationSupported { get; internal set; }

    public int Fragments { get; internal set; }

    /// <summary>Every event of every message of the SA.</summary>
    public IkeEvents Events { get; internal set; }

    public int ChildSaCount { get; private set; }

    public int ChildSasDropped { get; private set; }

    public ReadOnlySpan<IkeChildSa> ChildSas => _children.AsSpan(0, ChildSaCount);

    public ReadOnlySpan<byte> QcdToken => ((ReadOnlySpan<byte>)_qcdToken)[..QcdTokenLength];

    internal int QcdTokenLength;

    /// <summary>Last request Message ID per sender (index 1: the original initiator).</summary>
    internal readonly uint[] LastRequestId = new uint[2];
    internal readonly bool[] HasRequest = new bool[2];

    /// <summary>Latest IKE message or linked ESP packet: what expiry measures.</summary>
    internal long ActivityNanoseconds;

    /// <summary>Last CREATE_CHILD_SA response (for inferring IKE rekeys without keys).</summary>
    internal long LastCreateChildNanoseconds;

    internal IkeSa? RekeyedToSa;
    internal long RekeyedToSerial;

    // Intrusive lists: one per expiry class, oldest first; and the chain of SAs sharing an initiator SPI.
    internal IkeSa? Older;
    internal IkeSa? Newer;
    internal int ExpiryClass = -1;
    internal IkeSa? NextSameSpi;
    private int _seenNext;

    /// <summary>True while the SA is tracked and <paramref name="serial"/> is its serial.</summary>
    internal bool IsAlive(long serial) => Serial == serial && End == IkeSaEnd.None && ExpiryClass >= 0;

    internal ref IkeChildSa ChildAt(int index) => ref _children[index];

    /// <summary>Adds a Child SA and returns its slot; <paramref name="replaced"/> is the one it pushed out (Protocol
    /// None when a free slot was used), whose SPIs the caller unindexes.</summary>
    internal int AddChild(in IkeChildSa child, out IkeChildSa replaced)
    {
        replaced = default;
        int slot = ChildSaCount;
        if (ChildSaCount == MaxChildSas)
        {
            slot = 0;
            for (int i = 0; i < ChildSaCount; i++)
            {
                if (_children[i].Deleted)
                {
                    slot = i;
                    break;
                }
            }
            replaced = _children[slot];
            ChildSasDropped++;
        }
        else
        {
            ChildSaCount++;
        }
        _children[slot] = child;
        return slot;
    }

    internal void SetQcdToken(ReadOnlySpan<byte> token)
    {
        QcdTokenLength = Math.Min(token.Length, IkeOctetBuffer.Size);
        token[..QcdTokenLength].CopyTo(_qcdToken);
    }

    /// <summary>Records a fingerprint; true when the same message was seen before (a retransmission).</summary>
    internal bool SeenBefore(uint messageId, byte flags, int length, ulong hash)
    {
        foreach (ref readonly IkeSeenMessage m in _seen.AsSpan())
        {
            if (m.Valid && m.MessageId == messageId && m.Flags == flags && m.Length == length && m.Hash == hash)
            {
                return true;
            }
        }
        _seen[_seenNext] = new IkeSeenMessage { MessageId = messageId, Flags = flags, Length = length, Hash = hash, Valid = true };
        _seenNext = (_seenNext + 1) % SeenSlots;
        return false;
    }

    /// <summary>Remembers a request (replacing an older one with the same ID and sender, or the oldest slot).</summary>
    internal ref IkePendingRequest Remember(uint messageId, bool fromInitiator, IkeExchangeType exchange)
    {
        int slot = -1;
        uint oldest = uint.MaxValue;
        for (int i = 0; i < _pending.Length; i++)
        {
            ref IkePendingRequest p = ref _pending[i];
            if (!p.Valid || (p.MessageId == messageId && p.FromInitiator == fromInitiator))
            {
                slot = i;
                break;
            }
            if (p.MessageId <= oldest)
            {
                oldest = p.MessageId;
                slot = i;
            }
        }
        ref IkePendingRequest pending = ref _pending[slot];
        pending = new IkePendingRequest { Valid = true, MessageId = messageId, FromInitiator = fromInitiator, Exchange = exchange };
        return ref pending;
    }

    /// <summary>The request a response answers, or a null reference.</summary>
    internal ref IkePendingRequest FindRequest(uint messageId, bool fromInitiator)
    {
        for (int i = 0; i < _pending.Length; i++)
        {
            ref IkePendingRequest p = ref _pending[i];
            if (p.Valid && p.MessageId == messageId && p.FromInitiator == fromInitiator)
            {
                return ref p;
            }
        }
        return ref System.Runtime.CompilerServices.Unsafe.NullRef<IkePendingRequest>();
    }

    /// <summary>An earlier IKE_AUTH request of this sender that proposed a Child SA: with EAP or several AUTH rounds the SA
    /// payload goes in the first IKE_AUTH request and is answered in the last response (RFC 7296 §2.16, §1.2).</summary>
    internal ref IkePendingRequest FindAuthChildRequest(bool fromInitiator)
    {
        for (int i = 0; i < _pending.Length; i++)
        {
            ref IkePendingRequest p = ref _pending[i];
            if (p.Valid && p.FromInitiator == fromInitiator && p.Exchange == IkeExchangeType.IkeAuth && p.ChildSpi != 0)
            {
                return ref p;
            }
        }
        return ref System.Runtime.CompilerServices.Unsafe.NullRef<IkePendingRequest>();
    }

    /// <summary>Copies the Child SAs of a rekeyed predecessor (RFC 7296 §2.18: they move to the new IKE SA).</summary>
    internal void TakeChildren(IkeSa predecessor)
    {
        foreach (ref readonly IkeChildSa child in predecessor.ChildSas)
        {
            AddChild(child, out _);
        }
    }

    internal void Reset()
    {
        Serial = 0;
        InitiatorSpi = ResponderSpi = 0;
        Initiator = Responder = default;
        InitiatorPort = ResponderPort = 0;
        State = IkeSaState.None;
        End = IkeSaEnd.None;
        StartNanoseconds = LastNanoseconds = EstablishedNanoseconds = LastEspNanoseconds = 0;
        FirstFrame = 0;
        SourceName = null;
        FlowId = 0;
        Messages = Retransmissions = DecryptedMessages = 0;
        Midstream = EstablishedByDecryption = false;
        CookieRetries = InvalidKeRetries = 0;
        KeyExchangeGroup = DhGroup.None;
        RekeyedFrom = RekeyedFromResponderSpi = RekeyedTo = RekeyedToResponderSpi = 0;
        RekeyInferred = false;
        RedirectedFromSa = 0;
        InitiatorAuthMethod = ResponderAuthMethod = AuthMethod.None;
        InitiatorUsedEap = EapOnlyOffered = EapOnly = FirstAuthResponseSeen = false;
        EapType = 0;
        Resumed = false;
        Ticket = IkeTicketState.None;
        QcdTokens = 0;
        QcdTokenLength = 0;
        PeerLostState = false;
        QcdTokenMatched = null;
        MessageIdSyncSupported = ReplayCounterSyncSupported = false;
        MessageIdSyncs = ReplayCounterSyncs = FailoverSigns = 0;
        Wesp = FragmentationSupported = false;
        Fragments = 0;
        Events = IkeEvents.None;
        ChildSaCount = ChildSasDropped = 0;
        InitiatorId.Clear();
        ResponderId.Clear();
        RedirectedTo.Clear();
        RedirectedFrom.Clear();
        Offered.Clear();
        Chosen.Clear();
        LastRequestId[0] = LastRequestId[1] = 0;
        HasRequest[0] = HasRequest[1] = false;
        LastCreateChildNanoseconds = 0;
        ActivityNanoseconds = 0;
        RekeyedToSa = null;
        RekeyedToSerial = 0;
        Older = Newer = NextSameSpi = null;
        ExpiryClass = -1;
        Array.Clear(_pending);
        Array.Clear(_seen);
        _seenNext = 0;
    }
}
