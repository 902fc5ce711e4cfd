using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Visibility.IkePeer.Crypto;

/// <summary>Makes Quick Crash Detection tokens from a secret that outlives the IKE SAs (RFC 6290 §5).</summary>
/// <remarks>
/// RFC 6290 §5.1 suggests <c>TOKEN = HASH(QCD_SECRET | SPI-I | SPI-R)</c>; a keyed HMAC-SHA-256 over the two SPIs
/// gives the same properties: 32 octets (within 16..128), unguessable without the secret, recomputable after a restart
/// from the SPIs of any request alone, one per IKE SA.
/// </remarks>
internal sealed class QcdTokenMaker
{
    private readonly byte[] _secret;

    public QcdTokenMaker(byte[] secret) => _secret = secret;

    public static QcdTokenMaker CreateRandom() => new(RandomNumberGenerator.GetBytes(32));

    public byte[] Token(ulong spiI, ulong spiR)
    {
        Span<byte> spis = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(spis, spiI);
        BinaryPrimitives.WriteUInt64BigEndian(spis[8..], spiR);
        return HMACSHA256.HashData(_secret, spis);
    }
}
