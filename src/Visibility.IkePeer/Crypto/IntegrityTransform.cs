using System.Security.Cryptography;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>An integrity transform (type 3): HMAC truncated to the ICV length, for the IKE SA and ESP.</summary>
/// <remarks>RFC 4868 §2.3 (SHA-2, key = hash length, ICV = half of it), RFC 2404 (SHA-1-96).</remarks>
internal sealed class IntegrityTransform
{
    private readonly HashAlgorithmName _hash;

    private IntegrityTransform(IntegrityAlgorithm transformId, HashAlgorithmName hash, int keyLength, int icvLength, string name)
    {
        TransformId = transformId;
        _hash = hash;
        KeyLength = keyLength;
        IcvLength = icvLength;
        Name = name;
    }

    public static IntegrityTransform None { get; } = new(IntegrityAlgorithm.None, default, 0, 0, "NONE");

    public static IntegrityTransform HmacSha1_96 { get; } =
        new(IntegrityAlgorithm.HmacSha1_96, HashAlgorithmName.SHA1, 20, 12, "AUTH_HMAC_SHA1_96");

    public static IntegrityTransform HmacSha256_128 { get; } =
        new(IntegrityAlgorithm.HmacSha2_256_128, HashAlgorithmName.SHA256, 32, 16, "AUTH_HMAC_SHA2_256_128");

    public static IntegrityTransform HmacSha384_192 { get; } =
        new(IntegrityAlgorithm.HmacSha2_384_192, HashAlgorithmName.SHA384, 48, 24, "AUTH_HMAC_SHA2_384_192");

    public static IntegrityTransform HmacSha512_256 { get; } =
        new(IntegrityAlgorithm.HmacSha2_512_256, HashAlgorithmName.SHA512, 64, 32, "AUTH_HMAC_SHA2_512_256");

    public IntegrityAlgorithm TransformId { get; }

    public int KeyLength { get; }

    public int IcvLength { get; }

    public string Name { get; }

    public bool IsNone => TransformId == IntegrityAlgorithm.None;

    public static IntegrityTransform? FromTransformId(IntegrityAlgorithm id) => id switch
    {
        IntegrityAlgorithm.None => None,
        IntegrityAlgorithm.HmacSha1_96 => HmacSha1_96,
        IntegrityAlgorithm.HmacSha2_256_128 => HmacSha256_128,
        IntegrityAlgorithm.HmacSha2_384_192 => HmacSha384_192,
        IntegrityAlgorithm.HmacSha2_512_256 => HmacSha512_256,
        _ => null,
    };

    /// <summary>The PRF that strongSwan pairs with this integrity algorithm when a proposal names none.</summary>
    public Prf? MatchingPrf => TransformId switch
    {
        IntegrityAlgorithm.HmacSha1_96 => Prf.HmacSha1,
        IntegrityAlgorithm.HmacSha2_256_128 => Prf.HmacSha256,
        IntegrityAlgorithm.HmacSha2_384_192 => Prf.HmacSha384,
        IntegrityAlgorithm.HmacSha2_512_256 => Prf.HmacSha512,
        _ => null,
    };

    /// <summary>Writes the truncated ICV of <paramref name="data"/> into <paramref name="icv"/>.</summary>
    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> icv)
    {
        if (IsNone)
        {
            return;
        }

        Span<byte> full = stackalloc byte[64];
        var written = CryptographicOperations.HmacData(_hash, key, data, full);
        full[..Math.Min(written, IcvLength)].CopyTo(icv);
    }

    public bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> icv)
    {
        if (icv.Length != IcvLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[64];
        Compute(key, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected[..IcvLength], icv);
    }
}
