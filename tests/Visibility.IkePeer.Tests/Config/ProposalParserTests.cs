using Visibility.IkePeer.Config;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Config;

public sealed class ProposalParserTests
{
    [Fact]
    public void Parse_NullSha256Esp_EncrNullAndSha256NoEsn()
    {
        var spec = ProposalParser.Parse("null-sha256", ProtocolId.Esp).Single();
        var proposal = spec.ToProposal(1, [1, 2, 3, 4]);

        Assert.Equal([new Transform(TransformType.Encryption, 11), new Transform(TransformType.Integrity, 12), new Transform(TransformType.ExtendedSequenceNumbers, 0)], proposal.Transforms);
    }

    [Theory]
    [InlineData("aes128gmac", 128)]
    [InlineData("aes192gmac", 192)]
    [InlineData("aes256gmac", 256)]
    [InlineData("null_aes128gmac", 128)]
    [Trait("rfc", "4543-9")]
    public void Parse_GmacEsp_TransformId21WithKeyLengthAndNoIntegrity(string text, int bits)
    {
        var spec = ProposalParser.Parse(text, ProtocolId.Esp).Single();

        var encryption = Assert.Single(spec.Encryptions);
        Assert.Equal(EncryptionAlgorithm.NullAuthAesGmac, encryption.TransformId);
        Assert.Equal(21, (int)encryption.TransformId);
        Assert.Equal(bits, encryption.KeyBits);
        Assert.Empty(spec.Integrities);
        var proposal = spec.ToProposal(1, [0, 0, 1, 0], withDh: false);
        Assert.Contains(proposal.Transforms, t => t.Type == TransformType.Encryption && t.Id == 21 && t.KeyLength == bits);
        Assert.DoesNotContain(proposal.Transforms, t => t.Type == TransformType.Integrity);
    }

    [Theory]
    [InlineData("aes128gmac-sha256")]
    [InlineData("aes128gmac-prfsha256-ecp256")]
    public void Parse_GmacWithIntegrityOrForIke_Throws(string text) =>
        Assert.Throws<FormatException>(() => ProposalParser.Parse(text, text.Contains("prf", StringComparison.Ordinal) ? ProtocolId.Ike : ProtocolId.Esp));

    [Fact]
    public void Parse_Aes128Gcm16Esp_AeadWithKeyLengthAndNoIntegrity()
    {
        var spec = ProposalParser.Parse("aes128gcm16", ProtocolId.Esp).Single();
        Assert.Equal([new Transform(TransformType.Encryption, 20, 128), new Transform(TransformType.ExtendedSequenceNumbers, 0)], spec.ToProposal(1, [1, 2, 3, 4]).Transforms);
    }

    [Fact]
    public void Parse_IkeWithoutPrf_TakesPrfOfIntegrity()
    {
        var spec = ProposalParser.Parse("aes256-sha384-ecp384", ProtocolId.Ike).Single();
        Assert.Equal([new Transform(TransformType.Encryption, 12, 256), new Transform(TransformType.PseudorandomFunction, 6), new Transform(TransformType.Integrity, 13), new Transform(TransformType.DiffieHellman, 20)], spec.ToProposal(1, []).Transforms);
    }

    [Fact]
    public void Parse_EspWithPfsGroup_GroupOnlyWhenAsked()
    {
        var spec = ProposalParser.Parse("aes256-sha256-modp2048", ProtocolId.Esp).Single();
        Assert.Contains(new Transform(TransformType.DiffieHellman, (ushort)DhGroup.Modp2048), spec.ToProposal(1, [0, 0, 1, 0]).Transforms);
        Assert.DoesNotContain(spec.ToProposal(1, [0, 0, 1, 0], withDh: false).Transforms, t => t.Type == TransformType.DiffieHellman);
    }

    [Fact]
    public void Parse_SeveralProposals_KeepsOrder()
    {
        var specs = ProposalParser.Parse("aes128-sha256-modp2048, aes128gcm16-prfsha256-curve25519", ProtocolId.Ike);
        Assert.Equal(2, specs.Count);
        Assert.True(specs[1].IsAead);
        Assert.Equal([DhGroup.Curve25519], specs[1].DhGroups);
    }

    [Theory]
    [InlineData("aes128gcm16-ecp256")]         // IKE AEAD without PRF
    [InlineData("aes128-sha256")]              // IKE without group
    [InlineData("null-sha256-modp2048")]       // ENCR_NULL for IKE
    [InlineData("aes128-aes128gcm16-sha256-modp2048")]
    [InlineData("blowfish-sha256-modp2048")]
    [InlineData("")]
    public void Parse_BadIkeProposal_Throws(string text) => Assert.Throws<FormatException>(() => ProposalParser.Parse(text, ProtocolId.Ike));

    [Theory]
    [InlineData("null")]
    [InlineData("aes128")]
    [InlineData("aes128gcm16-sha256")]
    public void Parse_BadEspProposal_Throws(string text) => Assert.Throws<FormatException>(() => ProposalParser.Parse(text, ProtocolId.Esp));

    [Fact]
    [Trait("rfc", "7296-3.3.6")]
    public void Match_OfferWithSeveralChoices_PicksOursInOrder()
    {
        var ours = ProposalParser.Parse("aes256-aes128-sha256-ecp256-modp2048", ProtocolId.Ike).Single();
        var offered = ProposalParser.Parse("aes128-aes256-sha1-sha256-modp2048-ecp256", ProtocolId.Ike).Single().ToProposal(3, []);

        var suite = ours.Match(offered)!;

        Assert.Equal(256, suite.Encryption.KeyBits);
        Assert.Equal(IntegrityAlgorithm.HmacSha2_256_128, suite.Integrity.TransformId);
        Assert.Equal(DhGroup.Ecp256, suite.DhGroup);
        Assert.Equal(DhGroup.Modp2048, ours.Match(offered, preferredGroup: DhGroup.Modp2048)!.DhGroup);
    }

    [Fact]
    public void Match_DifferentKeySize_NoMatch()
    {
        var ours = ProposalParser.Parse("aes256-sha256-modp2048", ProtocolId.Ike).Single();
        Assert.Null(ours.Match(ProposalParser.Parse("aes128-sha256-modp2048", ProtocolId.Ike).Single().ToProposal(1, [])));
    }

    [Fact]
    public void SelectedAndFromChosen_RoundTrip()
    {
        var spec = ProposalParser.Parse("aes128gcm16-prfsha256-ecp256", ProtocolId.Ike).Single();
        var suite = spec.Match(spec.ToProposal(1, []))!;
        var chosen = ProposalSpec.Selected(1, ProtocolId.Ike, [], suite);

        Assert.Equal(suite.ToString(), ProposalSpec.FromChosen(chosen)!.ToString());
        Assert.Equal("ENCR_AES_GCM_16_128/PRF_HMAC_SHA2_256/ECP_256", suite.ToString());
    }
}
