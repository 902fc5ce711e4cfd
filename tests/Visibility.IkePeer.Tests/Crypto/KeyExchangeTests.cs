using System.Security.Cryptography;
using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Crypto;

public sealed class KeyExchangeTests
{
    [Fact]
    [Trait("rfc", "5903-8.1")]
    public void Ecp256_Rfc5903Vector_GivesSharedX()
    {
        var initiator = new EcpKeyExchange((DhGroup)19,
            TestHex.Parse("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433"),
            TestHex.Parse("dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180" + "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3"));
        var responderPublic = TestHex.Parse("d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63" + "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab");

        Assert.Equal("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de", TestHex.Of(initiator.ComputeSharedSecret(responderPublic)));
    }

    [Fact]
    [Trait("rfc", "5903-8.2")]
    public void Ecp384_Rfc5903Vector_GivesSharedX()
    {
        var responder = new EcpKeyExchange((DhGroup)20,
            TestHex.Parse("41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942e0308312916b8ed2960e4bd55a7448fc"),
            TestHex.Parse("e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d0d1ac43a0336def96fda41d0774a3571"
                + "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c"));
        var initiatorPublic = TestHex.Parse("667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41aa"
            + "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c");

        Assert.Equal(
            "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4d603135569b9e9d09cf5d4a270f59746",
            TestHex.Of(responder.ComputeSharedSecret(initiatorPublic)));
    }

    [Fact]
    [Trait("rfc", "7748-6.1")]
    public void Curve25519_Rfc7748Vector_PublicKeysAndSharedSecret()
    {
        var alice = new Curve25519KeyExchange(TestHex.Parse("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        var bob = new Curve25519KeyExchange(TestHex.Parse("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));

        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", TestHex.Of(alice.PublicKey));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", TestHex.Of(bob.PublicKey));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", TestHex.Of(alice.ComputeSharedSecret(bob.PublicKey)));
        Assert.Equal(DhGroup.Curve25519, alice.Group);
    }

    [Theory]
    [InlineData((ushort)14, 256)]
    [InlineData((ushort)15, 384)]
    [InlineData((ushort)19, 64)]
    [InlineData((ushort)20, 96)]
    [InlineData((ushort)21, 132)]
    [InlineData((ushort)31, 32)]
    [Trait("rfc", "7296-3.4")]
    public void Create_TwoSides_AgreeAndUseTheGroupLength(ushort group, int length)
    {
        var a = KeyExchange.Create((DhGroup)group);
        var b = KeyExchange.Create((DhGroup)group);

        Assert.Equal(length, a.PublicKey.Length);
        Assert.Equal(length, KeyExchange.PublicKeyLength((DhGroup)group));
        Assert.Equal(a.ComputeSharedSecret(b.PublicKey), b.ComputeSharedSecret(a.PublicKey));
    }

    [Fact]
    [Trait("rfc", "3526-3")]
    public void Modp2048_FixedExponentOne_PublicIsGenerator()
    {
        var modp = new ModpKeyExchange((DhGroup)14, [1]);
        var expected = new byte[256];
        expected[255] = 2;
        Assert.Equal(expected, modp.PublicKey);
    }

    [Fact]
    [Trait("rfc", "6989-2.1")]
    public void Modp2048_DegeneratePeerValues_Rejected()
    {
        var modp = new ModpKeyExchange((DhGroup)14);
        var one = new byte[256];
        one[255] = 1;
        Assert.Throws<CryptographicException>(() => modp.ComputeSharedSecret(one));
        Assert.Throws<CryptographicException>(() => modp.ComputeSharedSecret(new byte[255]));
    }

    [Fact]
    [Trait("rfc", "6989-2.3")]
    public void Ecp256_PointNotOnCurve_Rejected()
    {
        var ecp = KeyExchange.Create((DhGroup)19);
        var bad = (byte[])KeyExchange.Create((DhGroup)19).PublicKey.Clone();
        bad[63] ^= 0x01;
        Assert.ThrowsAny<CryptographicException>(() => ecp.ComputeSharedSecret(bad));
    }

    [Fact]
    [Trait("rfc", "8031-2")]
    public void Curve25519_AllZeroPeerValue_Rejected() =>
        Assert.Throws<CryptographicException>(() => KeyExchange.Create((DhGroup)31).ComputeSharedSecret(new byte[32]));

    [Fact]
    public void Create_UnsupportedGroup_Throws() => Assert.Throws<NotSupportedException>(() => KeyExchange.Create((DhGroup)2));
}
