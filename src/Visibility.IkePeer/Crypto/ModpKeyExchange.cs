using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>MODP Diffie-Hellman, groups 14 (2048-bit) and 15 (3072-bit) of RFC 3526, generator 2.</summary>
/// <remarks>Key exchange data and g^ir are big-endian and zero-padded to the prime length [RFC 7296 §3.4].</remarks>
internal sealed class ModpKeyExchange : KeyExchange
{
    private const string Prime2048 =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

    private const string Prime3072 =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

    private readonly BigInteger _prime;
    private readonly BigInteger _privateKey;
    private readonly int _length;

    public ModpKeyExchange(DhGroup group)
        : this(group, RandomNumberGenerator.GetBytes(64))
    {
    }

    /// <summary>With a fixed private exponent (big-endian), for known-answer tests.</summary>
    public ModpKeyExchange(DhGroup group, ReadOnlySpan<byte> privateExponent)
    {
        Group = group;
        (_prime, _length) = group switch
        {
            DhGroup.Modp2048 => (Parse(Prime2048), 256),
            DhGroup.Modp3072 => (Parse(Prime3072), 384),
            _ => throw new NotSupportedException($"MODP group {group} is not supported"),
        };
        _privateKey = new BigInteger(privateExponent, isUnsigned: true, isBigEndian: true);
        PublicKey = ToFixed(BigInteger.ModPow(2, _privateKey, _prime));
    }

    public override DhGroup Group { get; }

    public override byte[] PublicKey { get; }

    public override byte[] ComputeSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != _length)
        {
            throw new CryptographicException($"MODP key exchange data must be {_length} octets, got {peerPublicKey.Length}");
        }

        var y = new BigInteger(peerPublicKey, isUnsigned: true, isBigEndian: true);
        if (y <= BigInteger.One || y >= _prime - BigInteger.One)
        {
            throw new CryptographicException("MODP public value out of range (RFC 6989 §2.1)");
        }

        return ToFixed(BigInteger.ModPow(y, _privateKey, _prime));
    }

    private static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private byte[] ToFixed(BigInteger value)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[_length];
        raw.CopyTo(result, _length - raw.Length);
        return result;
    }
}
