namespace Visibility.IkePeer.Cli;

/// <summary>A scripted exchange between two in-process peers: proposals on each side and whether a cookie is demanded.</summary>
internal sealed record Scenario(string Name, string InitiatorIke, string ResponderIke, string Esp, bool RequireCookie, string Description)
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("null-sha256", "aes128-sha256-modp2048", "aes128-sha256-modp2048", "null-sha256", false, "ESP-NULL with HMAC-SHA-256-128 (RFC 5879 traffic in clear)"),
        new("aes128gcm16", "aes128gcm16-prfsha256-ecp256", "aes128gcm16-prfsha256-ecp256", "aes128gcm16", false, "AES-GCM for IKE and ESP"),
        new("aes256-sha256", "aes256-sha256-curve25519", "aes256-sha256-curve25519", "aes256-sha256", false, "AES-CBC-256 with HMAC-SHA-256-128, Curve25519"),
        new("cookie", "aes128-sha256-modp2048", "aes128-sha256-modp2048", "null-sha256", true, "the responder demands a COOKIE (RFC 7296 §2.6)"),
        new("invalid-ke", "aes128-sha256-modp2048,aes128-sha256-ecp256", "aes128-sha256-ecp256", "null-sha256", false, "INVALID_KE_PAYLOAD, retry with ECP-256"),
    ];
}
