using System.Net;
using Visibility.IkePeer.Messages;

namespace Visibility.IkePeer.Config;

/// <summary>Everything one peer run needs: identities, secret, proposals, selectors, addresses and timers.</summary>
internal sealed record PeerOptions
{
    /// <summary>strongSwan's default-like IKE proposals, tried in this order.</summary>
    public const string DefaultIkeProposal =
        "aes128-sha256-modp2048,aes256-sha256-modp2048,aes128gcm16-prfsha256-ecp256,aes256gcm16-prfsha384-ecp384,aes128-sha256-curve25519";

    public required byte[] SharedSecret { get; init; }

    public required PeerIdentity LocalId { get; init; }

    /// <summary>Identity the other side must present; null accepts any.</summary>
    public PeerIdentity? RemoteId { get; init; }

    public required IReadOnlyList<ProposalSpec> IkeProposals { get; init; }

    public required IReadOnlyList<ProposalSpec> EspProposals { get; init; }

    public required TrafficSelector LocalTs { get; init; }

    public required TrafficSelector RemoteTs { get; init; }

    /// <summary>Initiator: the responder's address and IKE port.</summary>
    public IPEndPoint? Remote { get; init; }

    /// <summary>Responder: the address to bind (null = all).</summary>
    public IPAddress? Listen { get; init; }

    public int IkePort { get; init; } = 500;

    public int NatTraversalPort { get; init; } = 4500;

    /// <summary>The other side's NAT-T port, where an initiator floats to (RFC 7296 §2.23).</summary>
    public int RemoteNatTraversalPort { get; init; } = 4500;

    public string? KeysDirectory { get; init; }

    /// <summary>Responder: answer every IKE_SA_INIT without a valid cookie with COOKIE (RFC 7296 §2.6).</summary>
    public bool RequireCookie { get; init; }

    public TimeSpan RetransmitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public double RetransmitBase { get; init; } = 2.0;

    public int RetransmitTries { get; init; } = 5;

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for the last echo reply after the last request.</summary>
    public TimeSpan PingWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Ask for (initiator) or accept (responder) WESP-wrapped Child SAs with USE_WESP_MODE (RFC 5840 §2.3).</summary>
    public bool Wesp { get; init; }

    /// <summary>How Child SA packets travel when no NAT is detected: UDP 4500 always, or plain IP protocol 50/141.</summary>
    public EspTransport EspTransport { get; init; } = EspTransport.Udp;

    /// <summary>Responder: the gateway to redirect initiators to (RFC 5685), or null.</summary>
    public GatewayIdentity? RedirectTo { get; init; }

    public RedirectPhase RedirectPhase { get; init; }

    /// <summary>How long after setup an INFORMATIONAL redirect is sent.</summary>
    public TimeSpan RedirectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Initiator: redirects followed within <see cref="RedirectLoopPeriod"/> before giving up (RFC 5685 §7 MAX_REDIRECTS).</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>RFC 5685 §7 REDIRECT_LOOP_DETECT_PERIOD.</summary>
    public TimeSpan RedirectLoopPeriod { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Resolves a redirect's FQDN gateway; DNS by default.</summary>
    public Func<string, IPAddress[]> Resolve { get; init; } = Dns.GetHostAddresses;

    /// <summary>Be a Quick Crash Detection token maker (RFC 6290): send a token for every IKE SA; and answer requests for
    /// unknown IKE SAs with INVALID_IKE_SPI and the token. Taking tokens is always on.</summary>
    public bool Qcd { get; init; }

    /// <summary>Responder: forget every SA right after an IKE SA is set up, as a crash and restart would (the QCD secret
    /// survives, as RFC 6290 §5 keeps it in non-volatile storage).</summary>
    public bool SimulateCrash { get; init; }

    /// <summary>Initiator: authenticate with EAP-TLS (RFC 5216) instead of the PSK, with these certificates.</summary>
    public Eap.EapTlsCredentials? EapTls { get; init; }

    /// <summary>The EAP identity (default: the IKE identity).</summary>
    public string? EapIdentity { get; init; }

    /// <summary>Offer EAP-only authentication (RFC 5998): N(EAP_ONLY_AUTHENTICATION) in the first IKE_AUTH request.</summary>
    public bool EapOnly { get; init; }

    /// <summary>Announce IKEV2_FRAGMENTATION_SUPPORTED and fragment when the other side does too (RFC 7383 §2.3).</summary>
    public bool Fragmentation { get; init; } = true;

    /// <summary>Largest IP datagram an IKE message may fill before it is sent as SKF fragments (RFC 7383 §2.5.1); null
    /// for the RFC's defaults, 1280 (IPv6) and 576 (IPv4).</summary>
    public int? FragmentSize { get; init; }

    public bool Verbose { get; init; }
}
