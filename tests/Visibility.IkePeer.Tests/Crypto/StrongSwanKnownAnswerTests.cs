using System.Globalization;
using System.Text;
using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Crypto;

/// <summary>Known answers computed by strongSwan 5.9.8 for two real IKE SAs (see the fixture's header).</summary>
public sealed class StrongSwanKnownAnswerTests
{
    public static TheoryData<string> Sections => new() { "modp2048-aes128-sha256", "ecp384-aes256gcm16-prfsha384" };

    [Theory]
    [MemberData(nameof(Sections))]
    [Trait("rfc", "7296-2.14")]
    public void Derive_StrongSwanSa_SameSkeyseedAndSevenKeys(string section)
    {
        var v = StrongSwanKeyFixture.Section(section);
        var (prf, integrity, encryption) = Suite(v, "prf", "integ", "encr");
        var nonces = B(v["nonces"]);

        var keys = IkeSaKeys.Derive(prf, integrity, encryption, B(v["g_ir"]), nonces.AsSpan(0, 32), nonces.AsSpan(32), U64(v["spi_i"]), U64(v["spi_r"]));

        Assert.Equal(v["skeyseed"], TestHex.Of(keys.Skeyseed));
        Assert.Equal(v["sk_d"], TestHex.Of(keys.SkD));
        Assert.Equal(v.GetValueOrDefault("sk_ai", string.Empty), TestHex.Of(keys.SkAi));
        Assert.Equal(v.GetValueOrDefault("sk_ar", string.Empty), TestHex.Of(keys.SkAr));
        Assert.Equal(v["sk_ei"], TestHex.Of(keys.SkEi));
        Assert.Equal(v["sk_er"], TestHex.Of(keys.SkEr));
        Assert.Equal(v["sk_pi"], TestHex.Of(keys.SkPi));
        Assert.Equal(v["sk_pr"], TestHex.Of(keys.SkPr));
    }

    [Theory]
    [MemberData(nameof(Sections))]
    [Trait("rfc", "7296-2.15")]
    public void Compute_StrongSwanSignedOctets_SameAuthBothWays(string section)
    {
        var v = StrongSwanKeyFixture.Section(section);
        var prf = Prf.FromTransformId((PrfAlgorithm)ushort.Parse(v["prf"], CultureInfo.InvariantCulture))!;
        var psk = Encoding.UTF8.GetBytes(v["psk"]);
        Assert.Equal(v["prf_psk_keypad"], TestHex.Of(prf.Compute(psk, "Key Pad for IKEv2"u8)));

        foreach (var (octetsName, authName, idName, skName) in new[] { ("auth_i_octets", "auth_i", "id_i", "sk_pi"), ("auth_r_octets", "auth_r", "id_r", "sk_pr") })
        {
            var octets = B(v[octetsName]);
            var nonceLength = 32;
            var message = octets.AsSpan(0, octets.Length - nonceLength - prf.OutputLength);
            var nonce = octets.AsSpan(message.Length, nonceLength);
            var auth = PskAuthentication.Compute(prf, psk, message, nonce, B(v[skName]), B(v[idName]));
            Assert.Equal(v[authName], TestHex.Of(auth));
        }
    }

    [Theory]
    [MemberData(nameof(Sections))]
    [Trait("rfc", "7296-2.17")]
    public void Derive_StrongSwanFirstChild_SameEspKeys(string section)
    {
        var v = StrongSwanKeyFixture.Section(section);
        var (prf, integrity, encryption) = Suite(v, "prf", "esp_integ", "esp_encr");
        var nonces = B(v["nonces"]);

        var (ir, ri) = ChildKeyMaterial.Derive(prf, B(v["sk_d"]), nonces.AsSpan(0, 32), nonces.AsSpan(32), encryption, integrity);

        Assert.Equal(v.GetValueOrDefault("esp_encr_i", string.Empty), TestHex.Of(ir.EncryptionKey));
        Assert.Equal(v.GetValueOrDefault("esp_encr_r", string.Empty), TestHex.Of(ri.EncryptionKey));
        Assert.Equal(v.GetValueOrDefault("esp_integ_i", string.Empty), TestHex.Of(ir.IntegrityKey));
        Assert.Equal(v.GetValueOrDefault("esp_integ_r", string.Empty), TestHex.Of(ri.IntegrityKey));
    }

    private static byte[] B(string hex) => TestHex.Parse(hex);

    private static ulong U64(string hex) => ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static (Prf Prf, IntegrityTransform Integrity, EncryptionTransform Encryption) Suite(IReadOnlyDictionary<string, string> v, string prf, string integ, string encr)
    {
        var e = v[encr].Split('/');
        return (
            Prf.FromTransformId((PrfAlgorithm)ushort.Parse(v[prf], CultureInfo.InvariantCulture))!,
            IntegrityTransform.FromTransformId((IntegrityAlgorithm)ushort.Parse(v[integ], CultureInfo.InvariantCulture))!,
            EncryptionTransform.Create((EncryptionAlgorithm)ushort.Parse(e[0], CultureInfo.InvariantCulture), int.Parse(e[1], CultureInfo.InvariantCulture))!);
    }
}
