using System.Security.Cryptography;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>An IKEv2 pseudorandom function (transform type 2) and its prf+ expansion.</summary>
/// <remarks>
/// RFC 7296 §2.13: <c>prf+(K, S) = T1 | T2 | ...</c>, <c>T1 = prf(K, S | 0x01)</c>,
/// <c>Tn = prf(K, T(n-1) | S | n)</c>; undefined past 255 blocks. HMAC PRFs (RFC 4868 §4) prefer a key as
/// long as their output.
/// </remarks>
internal sealed class Prf
{
    private readonly HashAlgorithmName _hash;

    private Prf(PrfAlgorithm transformId, HashAlgorithmName hash, int outputLength, string name)
    {
        TransformId = transformId;
        _hash = hash;
        OutputLength = outputLength;
        Name = name;
    }

    public static Prf HmacSha1 { get; } = new(PrfAlgorithm.HmacSha1, HashAlgorithmName.SHA1, 20, "PRF_HMAC_SHA1");

    public static Prf HmacSha256 { get; } = new(PrfAlgorithm.HmacSha2_256, HashAlgorithmName.SHA256, 32, "PRF_HMAC_SHA2_256");

    public static Prf HmacSha384 { get; } = new(PrfAlgorithm.HmacSha2_384, HashAlgorithmName.SHA384, 48, "PRF_HMAC_SHA2_384");

    public static Prf HmacSha512 { get; } = new(PrfAlgorithm.HmacSha2_512, HashAlgorithmName.SHA512, 64, "PRF_HMAC_SHA2_512");

    public PrfAlgorithm TransformId { get; }

    /// <summary>Output length in octets.</summary>
    public int OutputLength { get; }

    /// <summary>Preferred key length in octets: the length of SK_d, SK_pi and SK_pr [RFC 7296 §2.14].</summary>
    public int PreferredKeyLength => OutputLength;

    public string Name { get; }

    public static Prf? FromTransformId(PrfAlgorithm id) => id switch
    {
        PrfAlgorithm.HmacSha1 => HmacSha1,
        PrfAlgorithm.HmacSha2_256 => HmacSha256,
        PrfAlgorithm.HmacSha2_384 => HmacSha384,
        PrfAlgorithm.HmacSha2_512 => HmacSha512,
        _ => null,
    };

    public byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => CryptographicOperations.HmacData(_hash, key, data);

    /// <summary>prf+ of RFC 7296 §2.13, cut to <paramref name="length"/> octets.</summary>
    public byte[] Expand(ReadOnlySpan<byte> key, ReadOnlySpan<byte> seed, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > 255 * OutputLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "prf+ is undefined beyond 255 iterations (RFC 7296 §2.13)");
        }

        var output = new byte[length];
        var input = new byte[OutputLength + seed.Length + 1];
        var previous = ReadOnlySpan<byte>.Empty;
        byte[] block = [];
        var written = 0;
        for (var n = 1; written < length; n++)
        {
            previous.CopyTo(input);
            seed.CopyTo(input.AsSpan(previous.Length));
            input[previous.Length + seed.Length] = (byte)n;
            block = Compute(key, input.AsSpan(0, previous.Length + seed.Length + 1));
            var take = Math.Min(block.Length, length - written);
            block.AsSpan(0, take).CopyTo(output.AsSpan(written));
            written += take;
            previous = block;
        }

        return output;
    }
}
