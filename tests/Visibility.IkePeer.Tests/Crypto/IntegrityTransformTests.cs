using System.Text;
using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Crypto;

public sealed class IntegrityTransformTests
{
    private static readonly byte[] s_key = Encoding.ASCII.GetBytes("Jefe");
    private static readonly byte[] s_data = Encoding.ASCII.GetBytes("what do ya want for nothing?");

    [Fact]
    [Trait("rfc", "4868-2.3")]
    public void Compute_Sha256_128_IsTruncatedHmac()
    {
        // RFC 4231 §4.3 case 2, cut to 128 bits as RFC 4868 §2.3 prescribes.
        var icv = new byte[16];
        IntegrityTransform.HmacSha256_128.Compute(s_key, s_data, icv);
        Assert.Equal("5bdcc146bf60754e6a042426089575c7", TestHex.Of(icv));
    }

    [Theory]
    [InlineData(2, 20, 12)]
    [InlineData(12, 32, 16)]
    [InlineData(13, 48, 24)]
    [InlineData(14, 64, 32)]
    [Trait("rfc", "4868-4")]
    public void FromTransformId_Known_HasKeyAndIcvLengths(ushort id, int keyLength, int icvLength)
    {
        var integrity = IntegrityTransform.FromTransformId((IntegrityAlgorithm)id)!;
        Assert.Equal(keyLength, integrity.KeyLength);
        Assert.Equal(icvLength, integrity.IcvLength);
    }

    [Fact]
    public void Verify_FlippedBit_Fails()
    {
        var integrity = IntegrityTransform.HmacSha384_192;
        var icv = new byte[integrity.IcvLength];
        integrity.Compute(s_key, s_data, icv);
        Assert.True(integrity.Verify(s_key, s_data, icv));
        icv[5] ^= 0x10;
        Assert.False(integrity.Verify(s_key, s_data, icv));
        Assert.False(integrity.Verify(s_key, s_data, icv.AsSpan(1)));
    }

    [Fact]
    public void MatchingPrf_Sha512_IsPrfSha512() => Assert.Same(Prf.HmacSha512, IntegrityTransform.HmacSha512_256.MatchingPrf);
}
