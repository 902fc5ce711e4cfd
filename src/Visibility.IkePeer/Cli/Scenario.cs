using Visibility.IkePeer.Config;

namespace Visibility.IkePeer.Cli;

/// <summary>A scripted exchange between in-process peers: what each side is configured with and what the initiator does
/// once the SAs are up.</summary>
internal sealed record Scenario(string Name, string Description)
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("null-esp", "ESP-NULL with HMAC-SHA-256-128 (RFC 5879 traffic in clear)") { Alias = "null-sha256" },
        new("null-gmac", "ENCR_NULL_AUTH_AES_GMAC-128 ESP: payload in clear, 8-octet IV, GMAC ICV (RFC 4543)") { Alias = "aes128gmac", Esp = "aes128gmac" },
        new("aes128gcm16", "AES-GCM for IKE and ESP") { Ike = "aes128gcm16-prfsha256-ecp256", Esp = "aes128gcm16" },
        new("aes256-sha256", "AES-CBC-256 with HMAC-SHA-256-128, Curve25519") { Ike = "aes256-sha256-curve25519", Esp = "aes256-sha256" },
        new("cookie", "the responder demands a COOKIE (RFC 7296 §2.6)") { RequireCookie = true },
        new("invalid-ke", "INVALID_KE_PAYLOAD, retry with ECP-256") { Ike = "aes128-sha256-modp2048,aes128-sha256-ecp256", ResponderIke = "aes128-sha256-ecp256" },
        new("wesp", "WESP-wrapped ESP-NULL over UDP 4500, E=0 (RFC 5840)") { Wesp = true },
        new("null-esp-raw", "ESP-NULL as plain IP protocol 50 through raw sockets, no NAT, IKE on 500 only (needs root)") { RawEsp = true },
        new("wesp-raw", "WESP-wrapped ESP-NULL as plain IP protocol 141 through raw sockets, E=0 (RFC 5840 §2; needs root)") { Wesp = true, RawEsp = true },
        new("redirect-init", "the gateway redirects in IKE_SA_INIT to 127.0.0.3 (RFC 5685 §3)") { Redirect = RedirectPhase.Init },
        new("redirect-auth", "the gateway redirects in IKE_AUTH to 127.0.0.3 (RFC 5685 §6)") { Redirect = RedirectPhase.Auth },
        new("redirect-informational", "the gateway redirects the established SA to 127.0.0.3 (RFC 5685 §5)") { Redirect = RedirectPhase.Informational },
        new("qcd-crash", "the responder loses its state; INVALID_IKE_SPI with the QCD token (RFC 6290)") { Crash = true },
        new("eap-only", "EAP-only authentication with EAP-TLS (RFC 5998, RFC 5216)") { Eap = true },
        new("fragmentation", "EAP-only with EAP-TLS, IKE_AUTH in SKF fragments of 300-octet datagrams (RFC 7383)") { Eap = true, FragmentSize = 300 },
        new("rekey", "CREATE_CHILD_SA rekeys of the Child SA (PFS) and of the IKE SA (RFC 7296 §2.8)") { Esp = "null-sha256-modp2048", Rekey = true },
    ];

    /// <summary>Another name the scenario answers to.</summary>
    public string? Alias { get; init; }

    public string Ike { get; init; } = "aes128-sha256-modp2048";

    /// <summary>The responder's IKE proposals when they differ from the initiator's.</summary>
    public string? ResponderIke { get; init; }

    public string Esp { get; init; } = "null-sha256";

    public bool RequireCookie { get; init; }

    public bool Wesp { get; init; }

    /// <summary>Both sides use <c>--esp-transport raw</c> and send true NAT_DETECTION hashes: on loopback no NAT is
    /// found, IKE stays on port 500 and the Child SA packets are IP protocol 50 (141 with WESP).</summary>
    public bool RawEsp { get; init; }

    /// <summary>The first gateway redirects to a second one at 127.0.0.3, in this phase.</summary>
    public RedirectPhase? Redirect { get; init; }

    /// <summary>The responder forgets its SAs after setup; the initiator's Delete meets INVALID_IKE_SPI with the token.</summary>
    public bool Crash { get; init; }

    /// <summary>EAP-only with EAP-TLS, certificates made for the run.</summary>
    public bool Eap { get; init; }

    /// <summary>Both sides' IKE fragment size (an IP datagram size), or null for the defaults.</summary>
    public int? FragmentSize { get; init; }

    /// <summary>The initiator rekeys the Child SA, then the IKE SA, before the pings.</summary>
    public bool Rekey { get; init; }

    public static Scenario? Find(string? name) => All.FirstOrDefault(s => s.Name == name || (s.Alias is not null && s.Alias == name));
}
