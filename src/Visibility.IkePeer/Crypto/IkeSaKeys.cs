using System.Buffers.Binary;

namespace Visibility.IkePeer.Crypto;

/// <summary>The seven keys of an IKE SA.</summary>
/// <remarks>
/// RFC 7296 §2.14: <c>SKEYSEED = prf(Ni | Nr, g^ir)</c>;
/// <c>{SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)</c>.
/// SK_d/SK_pi/SK_pr take the PRF's preferred key length, SK_a* the integrity key length (0 with AEAD), SK_e* the
/// encryption key length plus salt (RFC 5282 §7.1).
/// </remarks>
internal sealed class IkeSaKeys
{
    private IkeSaKeys(byte[] skeyseed, byte[] stream, int prfLength, int integLength, int encrLength)
    {
        Skeyseed = skeyseed;
        var offset = 0;
        SkD = Take(stream, ref offset, prfLength);
        SkAi = Take(stream, ref offset, integLength);
        SkAr = Take(stream, ref offset, integLength);
        SkEi = Take(stream, ref offset, encrLength);
        SkEr = Take(stream, ref offset, encrLength);
        SkPi = Take(stream, ref offset, prfLength);
        SkPr = Take(stream, ref offset, prfLength);
    }

    public byte[] Skeyseed { get; }

    public byte[] SkD { get; }

    public byte[] SkAi { get; }

    public byte[] SkAr { get; }

    public byte[] SkEi { get; }

    public byte[] SkEr { get; }

    public byte[] SkPi { get; }

    public byte[] SkPr { get; }

    public static byte[] ComputeSkeyseed(Prf prf, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR, ReadOnlySpan<byte> sharedSecret)
    {
        var key = new byte[nonceI.Length + nonceR.Length];
        nonceI.CopyTo(key);
        nonceR.CopyTo(key.AsSpan(nonceI.Length));
        return prf.Compute(key, sharedSecret);
    }

    public static IkeSaKeys Derive(
        Prf prf,
        IntegrityTransform integrity,
        EncryptionTransform encryption,
        ReadOnlySpan<byte> sharedSecret,
        ReadOnlySpan<byte> nonceI,
        ReadOnlySpan<byte> nonceR,
        ulong spiI,
        ulong spiR)
    {
        var skeyseed = ComputeSkeyseed(prf, nonceI, nonceR, sharedSecret);
        return FromSkeyseed(prf, integrity, encryption, skeyseed, nonceI, nonceR, spiI, spiR);
    }

    /// <summary>Keys of the IKE SA that replaces one by a CREATE_CHILD_SA rekey [RFC 7296 §2.18]:
    /// <c>SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)</c> with the old SA's PRF, then the §2.14 expansion with the
    /// new SA's PRF and the new SPIs.</summary>
    public static IkeSaKeys DeriveRekey(
        Prf oldPrf,
        ReadOnlySpan<byte> oldSkD,
        Prf prf,
        IntegrityTransform integrity,
        EncryptionTransform encryption,
        ReadOnlySpan<byte> sharedSecret,
        ReadOnlySpan<byte> nonceI,
        ReadOnlySpan<byte> nonceR,
        ulong spiI,
        ulong spiR)
    {
        var input = new byte[sharedSecret.Length + nonceI.Length + nonceR.Length];
        sharedSecret.CopyTo(input);
        nonceI.CopyTo(input.AsSpan(sharedSecret.Length));
        nonceR.CopyTo(input.AsSpan(sharedSecret.Length + nonceI.Length));
        var skeyseed = oldPrf.Compute(oldSkD, input);
        return FromSkeyseed(prf, integrity, encryption, skeyseed, nonceI, nonceR, spiI, spiR);
    }

    public static IkeSaKeys FromSkeyseed(
        Prf prf,
        IntegrityTransform integrity,
        EncryptionTransform encryption,
        byte[] skeyseed,
        ReadOnlySpan<byte> nonceI,
        ReadOnlySpan<byte> nonceR,
        ulong spiI,
        ulong spiR)
    {
        var integLength = encryption.IsAead ? 0 : integrity.KeyLength;
        var encrLength = encryption.KeyMaterialLength;
        var total = 3 * prf.PreferredKeyLength + 2 * integLength + 2 * encrLength;
        var seed = new byte[nonceI.Length + nonceR.Length + 16];
        nonceI.CopyTo(seed);
        nonceR.CopyTo(seed.AsSpan(nonceI.Length));
        BinaryPrimitives.WriteUInt64BigEndian(seed.AsSpan(nonceI.Length + nonceR.Length), spiI);
        BinaryPrimitives.WriteUInt64BigEndian(seed.AsSpan(nonceI.Length + nonceR.Length + 8), spiR);
        var stream = prf.Expand(skeyseed, seed, total);
        return new IkeSaKeys(skeyseed, stream, prf.PreferredKeyLength, integLength, encrLength);
    }

    private static byte[] Take(byte[] stream, ref int offset, int length)
    {
        var result = stream.AsSpan(offset, length).ToArray();
        offset += length;
        return result;
    }
}
