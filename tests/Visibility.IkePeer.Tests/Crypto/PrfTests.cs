using System.Security.Cryptography;
using System.Text;
using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Crypto;

public sealed class PrfTests
{
    // RFC 4231 §4.3, test case 2: key "Jefe", data "what do ya want for nothing?".
    private static readonly byte[] s_key = Encoding.ASCII.GetBytes("Jefe");
    private static readonly byte[] s_data = Encoding.ASCII.GetBytes("what do ya want for nothing?");

    [Fact]
    [Trait("rfc", "4231-4.3")]
    public void Compute_Rfc4231Case2Sha256_MatchesVector() =>
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestHex.Of(Prf.HmacSha256.Compute(s_key, s_data)));

    [Fact]
    [Trait("rfc", "4231-4.3")]
    public void Compute_Rfc4231Case2Sha384_MatchesVector() =>
        Assert.Equal(
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            TestHex.Of(Prf.HmacSha384.Compute(s_key, s_data)));

    [Fact]
    [Trait("rfc", "4231-4.3")]
    public void Compute_Rfc4231Case2Sha512_MatchesVector() =>
        Assert.Equal(
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
            TestHex.Of(Prf.HmacSha512.Compute(s_key, s_data)));

    [Fact]
    [Trait("rfc", "7296-2.13")]
    public void Expand_ThreeBlocks_ChainsPreviousBlockSeedAndCounter()
    {
        var key = TestHex.Parse("000102030405060708090a0b0c0d0e0f");
        var seed = Encoding.ASCII.GetBytes("seed");
        var t1 = HMACSHA256.HashData(key, (byte[])[.. seed, 0x01]);
        var t2 = HMACSHA256.HashData(key, (byte[])[.. t1, .. seed, 0x02]);
        var t3 = HMACSHA256.HashData(key, (byte[])[.. t2, .. seed, 0x03]);

        var stream = Prf.HmacSha256.Expand(key, seed, 80);

        Assert.Equal([.. t1, .. t2, .. t3.AsSpan(0, 16)], stream);
    }

    [Fact]
    [Trait("rfc", "7296-2.13")]
    public void Expand_PrefixOfLongerStream_IsStable()
    {
        var key = RandomNumberGenerator.GetBytes(48);
        var seed = RandomNumberGenerator.GetBytes(40);
        Assert.Equal(Prf.HmacSha384.Expand(key, seed, 100), Prf.HmacSha384.Expand(key, seed, 300).AsSpan(0, 100).ToArray());
    }

    [Fact]
    [Trait("rfc", "7296-2.13")]
    public void Expand_Beyond255Blocks_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Prf.HmacSha256.Expand([1], [2], 255 * 32 + 1));

    [Theory]
    [InlineData(2, 20)]
    [InlineData(5, 32)]
    [InlineData(6, 48)]
    [InlineData(7, 64)]
    [Trait("rfc", "4868-4")]
    public void FromTransformId_KnownPrf_HasHashOutputLength(ushort id, int length)
    {
        var prf = Prf.FromTransformId((PrfAlgorithm)id);
        Assert.NotNull(prf);
        Assert.Equal(length, prf.OutputLength);
        Assert.Equal(length, prf.Compute([1, 2, 3], [4]).Length);
    }

    [Fact]
    public void FromTransformId_Unknown_ReturnsNull() => Assert.Null(Prf.FromTransformId(PrfAlgorithm.Aes128Xcbc));
}
