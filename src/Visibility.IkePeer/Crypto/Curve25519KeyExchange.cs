using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>Curve25519 key exchange (group 31, RFC 8031) with X25519 of RFC 7748.</summary>
/// <remarks>Key exchange data = the 32-octet u coordinate; g^ir = the X25519 output, rejected when all zero [RFC 8031 §2].</remarks>
internal sealed class Curve25519KeyExchange : KeyExchange
{
    private readonly X25519PrivateKeyParameters _privateKey;

    public Curve25519KeyExchange()
    {
        _privateKey = new X25519PrivateKeyParameters(new SecureRandom());
        PublicKey = _privateKey.GeneratePublicKey().GetEncoded();
    }

    /// <summary>With a fixed private scalar, for known-answer tests.</summary>
    public Curve25519KeyExchange(ReadOnlySpan<byte> privateKey)
    {
        _privateKey = new X25519PrivateKeyParameters(privateKey);
        PublicKey = _privateKey.GeneratePublicKey().GetEncoded();
    }

    public override DhGroup Group => DhGroup.Curve25519;

    public override byte[] PublicKey { get; }

    public override byte[] ComputeSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != X25519PublicKeyParameters.KeySize)
        {
            throw new CryptographicException($"Curve25519 key exchange data must be 32 octets, got {peerPublicKey.Length}");
        }

        var secret = new byte[X25519PrivateKeyParameters.SecretSize];
        try
        {
            _privateKey.GenerateSecret(new X25519PublicKeyParameters(peerPublicKey), secret, 0);
        }
        catch (InvalidOperationException e)
        {
            throw new CryptographicException("X25519 produced the all-zero value (RFC 8031 §2)", e);
        }

        return secret;
    }
}
