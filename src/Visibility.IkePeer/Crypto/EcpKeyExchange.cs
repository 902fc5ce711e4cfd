using System.Security.Cryptography;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>ECP Diffie-Hellman over the NIST curves P-256, P-384 and P-521 (groups 19, 20, 21).</summary>
/// <remarks>
/// RFC 5903 §7: key exchange data = x | y, each zero-padded to the field size; g^ir = the x coordinate of the shared
/// point. The peer's point is checked to lie on the curve when imported (RFC 6989 §2.3).
/// </remarks>
internal sealed class EcpKeyExchange : KeyExchange, IDisposable
{
    private readonly ECDiffieHellman _key;
    private readonly ECCurve _curve;
    private readonly int _coordinateLength;

    public EcpKeyExchange(DhGroup group)
    {
        Group = group;
        (_curve, _coordinateLength) = CurveOf(group);
        _key = ECDiffieHellman.Create(_curve);
        PublicKey = Encode(_key.ExportParameters(false).Q);
    }

    /// <summary>With a fixed private key and its public point, for known-answer tests.</summary>
    public EcpKeyExchange(DhGroup group, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        Group = group;
        (_curve, _coordinateLength) = CurveOf(group);
        _key = ECDiffieHellman.Create(new ECParameters
        {
            Curve = _curve,
            D = privateKey.ToArray(),
            Q = Decode(publicKey),
        });
        PublicKey = Encode(_key.ExportParameters(false).Q);
    }

    public override DhGroup Group { get; }

    public override byte[] PublicKey { get; }

    public override byte[] ComputeSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != 2 * _coordinateLength)
        {
            throw new CryptographicException($"ECP key exchange data must be {2 * _coordinateLength} octets, got {peerPublicKey.Length}");
        }

        using var peer = ECDiffieHellman.Create(new ECParameters { Curve = _curve, Q = Decode(peerPublicKey) });
        return _key.DeriveRawSecretAgreement(peer.PublicKey);
    }

    public void Dispose() => _key.Dispose();

    private static (ECCurve Curve, int CoordinateLength) CurveOf(DhGroup group) => group switch
    {
        DhGroup.Ecp256 => (ECCurve.NamedCurves.nistP256, 32),
        DhGroup.Ecp384 => (ECCurve.NamedCurves.nistP384, 48),
        DhGroup.Ecp521 => (ECCurve.NamedCurves.nistP521, 66),
        _ => throw new NotSupportedException($"ECP group {group} is not supported"),
    };

    private ECPoint Decode(ReadOnlySpan<byte> xy) => new()
    {
        X = xy[.._coordinateLength].ToArray(),
        Y = xy[_coordinateLength..].ToArray(),
    };

    private byte[] Encode(ECPoint q)
    {
        var result = new byte[2 * _coordinateLength];
        q.X!.CopyTo(result, _coordinateLength - q.X!.Length);
        q.Y!.CopyTo(result, 2 * _coordinateLength - q.Y!.Length);
        return result;
    }
}
