using System.Net;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Session;

/// <summary>One IKE SA: role, SPIs, negotiated suite, keys, message IDs and its Child SAs.</summary>
internal sealed class IkeSession : IDisposable
{
    private IkeSkDecryptor? _inbound;

    public IkeSession(bool isInitiator, ulong initiatorSpi, IPEndPoint remote, IPEndPoint local)
    {
        IsInitiator = isInitiator;
        InitiatorSpi = initiatorSpi;
        Remote = remote;
        Local = local;
    }

    public bool IsInitiator { get; }

    public ulong InitiatorSpi { get; }

    public ulong ResponderSpi { get; set; }

    public IkeSaState State { get; set; }

    /// <summary>Where the other side is now (its NAT-T port after the float).</summary>
    public IPEndPoint Remote { get; set; }

    public IPEndPoint Local { get; set; }

    /// <summary>IKE and ESP use port 4500 with RFC 3948 framing.</summary>
    public bool NatTraversal { get; set; }

    /// <summary>Child SA packets go as plain IP protocol 50 (ESP) or 141 (WESP) through raw sockets: no NAT was
    /// detected and both sides kept IKE on port 500 (RFC 7296 §2.23).</summary>
    public bool PlainEsp { get; set; }

    /// <summary>Responder: the NAT_DETECTION hashes of the IKE_SA_INIT request did not match the addresses it came
    /// from and to (RFC 7296 §2.23).</summary>
    public bool NatDetected { get; set; }

    public NegotiatedSuite? Suite { get; set; }

    public IkeSaKeys? Keys { get; set; }

    public byte[] NonceI { get; set; } = [];

    public byte[] NonceR { get; set; } = [];

    /// <summary>The IKE_SA_INIT request as last sent (RFC 7296 §2.15 RealMessage1).</summary>
    public byte[] InitRequest { get; set; } = [];

    /// <summary>The IKE_SA_INIT response (RealMessage2).</summary>
    public byte[] InitResponse { get; set; } = [];

    public PeerIdentity? RemoteIdentity { get; set; }

    public uint NextRequestId { get; set; }

    /// <summary>Message ID the next request from the other side must carry.</summary>
    public uint ExpectedPeerRequestId { get; set; }

    /// <summary>The last response we sent, to answer a retransmitted request with (RFC 7296 §2.1): one datagram, or
    /// all its SKF fragments (RFC 7383 §2.6.1).</summary>
    public IReadOnlyList<byte[]>? LastResponse { get; set; }

    /// <summary>Both sides sent IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT (RFC 7383 §2.3); kept across IKE SA rekeys.</summary>
    public bool Fragmentation { get; set; }

    /// <summary>Reassembly of the other side's fragmented requests.</summary>
    public Messages.IkeFragmentBuffer RequestFragments { get; } = new();

    /// <summary>Reassembly of the other side's fragmented responses.</summary>
    public Messages.IkeFragmentBuffer ResponseFragments { get; } = new();

    public uint LastResponseId { get; set; } = uint.MaxValue;

    public List<ChildSa> Children { get; } = [];

    /// <summary>The Child SA traffic goes through: the first one not replaced by a rekey.</summary>
    public ChildSa? ActiveChild => Children.FirstOrDefault(c => c.ReplacedBy is null);

    /// <summary>The IKE SA that replaced this one by a CREATE_CHILD_SA rekey (RFC 7296 §2.18).</summary>
    public IkeSession? ReplacedBy { get; set; }

    /// <summary>The initiator SPI of the IKE SA this one replaced by a rekey, or 0.</summary>
    public ulong RekeyedFrom { get; init; }

    /// <summary>This SA or, when it was rekeyed, the SA that replaced it (following the chain).</summary>
    public IkeSession Current
    {
        get
        {
            var session = this;
            while (session.ReplacedBy is not null)
            {
                session = session.ReplacedBy;
            }

            return session;
        }
    }

    public int Retransmissions { get; set; }

    /// <summary>The initiator announced REDIRECT_SUPPORTED or came with REDIRECTED_FROM (RFC 5685 §3).</summary>
    public bool RedirectSupported { get; set; }

    /// <summary>The gateway a REDIRECT for this SA named (sent or received), or null.</summary>
    public GatewayIdentity? RedirectedTo { get; set; }

    /// <summary>The gateway named in REDIRECTED_FROM of this SA's IKE_SA_INIT request, or null.</summary>
    public GatewayIdentity? RedirectedFrom { get; set; }

    /// <summary>RFC 5998 EAP-only authentication took place: we offered it and the responder answered with EAP, not AUTH.</summary>
    public bool EapOnly { get; set; }

    /// <summary>Responder with EAP: the EAP server of this SA's IKE_AUTH.</summary>
    public Eap.EapTlsServer? EapServer { get; set; }

    /// <summary>Responder with EAP: the first IKE_AUTH request (its SA and TS payloads are answered last).</summary>
    public IkeMessage? PendingAuthRequest { get; set; }

    /// <summary>Responder with EAP: IDi' of the first IKE_AUTH request, for the initiator's AUTH.</summary>
    public byte[] IdentificationBody { get; set; } = [];

    /// <summary>The EAP Master Session Key that authenticated this SA, or null with a PSK.</summary>
    public byte[]? Msk { get; set; }

    /// <summary>The QCD token the other side gave us for this SA (RFC 6290 §4), or null.</summary>
    public byte[]? QcdToken { get; set; }

    public string Name => $"{InitiatorSpi:x16}_i {ResponderSpi:x16}_r";

    /// <summary>Protection of what we send: SK_ei/SK_ai as initiator, SK_er/SK_ar as responder [RFC 7296 §2.14].</summary>
    public SkCipher Outbound => IsInitiator ? InitiatorCipher : ResponderCipher;

    /// <summary>Verifies and decrypts what the other side sends (created once the keys are known).</summary>
    public IkeSkDecryptor Inbound => _inbound ??= (IsInitiator ? ResponderCipher : InitiatorCipher).CreateDecryptor();

    private SkCipher InitiatorCipher => new(Suite!.Encryption, Suite.Integrity, Keys!.SkEi, Keys.SkAi);

    private SkCipher ResponderCipher => new(Suite!.Encryption, Suite.Integrity, Keys!.SkEr, Keys.SkAr);

    public void Dispose()
    {
        _inbound?.Dispose();
        _inbound = null;
    }
}
