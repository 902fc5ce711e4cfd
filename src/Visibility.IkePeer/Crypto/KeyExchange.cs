using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>One side of a Diffie-Hellman key exchange (transform type 4): our public value and the shared secret g^ir.</summary>
/// <remarks>
/// The KE payload carries <see cref="PublicKey"/> (RFC 7296 §3.4); <see cref="ComputeSharedSecret"/> returns g^ir as
/// SKEYSEED needs it (§2.14): MODP zero-padded to the prime length, ECP the x coordinate (RFC 5903 §7), Curve25519 the
/// 32-octet X25519 output (RFC 8031 §2).
/// </remarks>
internal abstract class KeyExchange
{
    public abstract DhGroup Group { get; }

    public abstract byte[] PublicKey { get; }

    public static IReadOnlyList<DhGroup> SupportedGroups { get; } =
        [DhGroup.Modp2048, DhGroup.Modp3072, DhGroup.Ecp256, DhGroup.Ecp384, DhGroup.Ecp521, DhGroup.Curve25519];

    public static bool IsSupported(DhGroup group) => SupportedGroups.Contains(group);

    /// <summary>Length of the key exchange data of <paramref name="group"/> in octets, or 0 when unknown.</summary>
    public static int PublicKeyLength(DhGroup group) => group switch
    {
        DhGroup.Modp2048 => 256,
        DhGroup.Modp3072 => 384,
        DhGroup.Ecp256 => 64,
        DhGroup.Ecp384 => 96,
        DhGroup.Ecp521 => 132,
        DhGroup.Curve25519 => 32,
        _ => 0,
    };

    public static KeyExchange Create(DhGroup group) => group switch
    {
        DhGroup.Modp2048 or DhGroup.Modp3072 => new ModpKeyExchange(group),
        DhGroup.Ecp256 or DhGroup.Ecp384 or DhGroup.Ecp521 => new EcpKeyExchange(group),
        DhGroup.Curve25519 => new Curve25519KeyExchange(),
        _ => throw new NotSupportedException($"key exchange method {group} is not supported"),
    };

    /// <summary>g^ir from the peer's key exchange data; throws <see cref="System.Security.Cryptography.CryptographicException"/> on an invalid value.</summary>
    public abstract byte[] ComputeSharedSecret(ReadOnlySpan<byte> peerPublicKey);
}
