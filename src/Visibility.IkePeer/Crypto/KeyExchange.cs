using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Crypto;

/// <summary>One side of a Diffie-Hellman key exchange (transform type 4): our public value and the shared secret g^ir.</summary>
/// <remarks>
/// The KE payload carries <see cref="PublicKey"/> (RFC 7296 §3.4); <see cref="ComputeSharedSecret"/> returns g^ir as
/// SKEYSEED needs it (§2.14): MODP zero-padded to the prime length, ECP the x coordinate (RFC 5903 §7), Curve25519 the
/// 32-octet X25519 output (RFC 8031 §2).
/// </remarks>
internal abstract class KeyExchange
{
    public abstract ushort Group { get; }

    public abstract byte[] PublicKey { get; }

    public static IReadOnlyList<ushort> SupportedGroups { get; } =
        [PeerIana.DhModp2048, PeerIana.DhModp3072, PeerIana.DhEcp256, PeerIana.DhEcp384, PeerIana.DhEcp521, PeerIana.DhCurve25519];

    public static bool IsSupported(ushort group) => SupportedGroups.Contains(group);

    /// <summary>Length of the key exchange data of <paramref name="group"/> in octets, or 0 when unknown.</summary>
    public static int PublicKeyLength(ushort group) => group switch
    {
        PeerIana.DhModp2048 => 256,
        PeerIana.DhModp3072 => 384,
        PeerIana.DhEcp256 => 64,
        PeerIana.DhEcp384 => 96,
        PeerIana.DhEcp521 => 132,
        PeerIana.DhCurve25519 => 32,
        _ => 0,
    };

    public static KeyExchange Create(ushort group) => group switch
    {
        PeerIana.DhModp2048 or PeerIana.DhModp3072 => new ModpKeyExchange(group),
        PeerIana.DhEcp256 or PeerIana.DhEcp384 or PeerIana.DhEcp521 => new EcpKeyExchange(group),
        PeerIana.DhCurve25519 => new Curve25519KeyExchange(),
        _ => throw new NotSupportedException($"key exchange method {group} is not supported"),
    };

    /// <summary>g^ir from the peer's key exchange data; throws <see cref="System.Security.Cryptography.CryptographicException"/> on an invalid value.</summary>
    public abstract byte[] ComputeSharedSecret(ReadOnlySpan<byte> peerPublicKey);
}
