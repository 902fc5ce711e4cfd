using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeSaPayloadTests
{
    // SA body (after the generic header): two proposals, RFC 7296 §3.3.1-§3.3.5.
    private static readonly byte[] s_body =
    [
        // 0: Proposal 1: Last Substruc 2 (more), reserved, length 44
        0x02, 0x00, 0x00, 0x2C,
        // 4: Proposal Num 1, Protocol IKE (1), SPI Size 0, 4 transforms
        0x01, 0x01, 0x00, 0x04,
        // 8: Transform: more (3), length 12, ENCR (1), ENCR_AES_CBC (12), attribute Key Length (TV 0x800E) = 128
        0x03, 0x00, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x0C, 0x80, 0x0E, 0x00, 0x80,
        // 20: Transform: more, length 8, PRF (2), PRF_HMAC_SHA2_256 (5)
        0x03, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x05,
        // 28: Transform: more, length 8, INTEG (3), AUTH_HMAC_SHA2_256_128 (12)
        0x03, 0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x0C,
        // 36: Transform: last (0), length 8, D-H (4), 2048-bit MODP (14)
        0x00, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x0E,
        // 44: Proposal 2: last (0), length 32, Num 2, ESP (3), SPI Size 4, 2 transforms
        0x00, 0x00, 0x00, 0x20, 0x02, 0x03, 0x04, 0x02,
        // 52: SPI
        0xC0, 0x01, 0xD0, 0x0D,
        // 56: Transform: more, length 12, ENCR, ENCR_AES_GCM_16 (20), Key Length 256
        0x03, 0x00, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x14, 0x80, 0x0E, 0x01, 0x00,
        // 68: Transform: last, length 8, ESN (5), no ESN (0)
        0x00, 0x00, 0x00, 0x08, 0x05, 0x00, 0x00, 0x00,
    ];

    [Fact]
    [Trait("rfc", "7296-3.3")]
    public void GetProposals_TwoProposals_ReadsProposalFields()
    {
        Assert.True(IkeSaPayload.TryRead(s_body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.True(proposals.TryReadNext(out IkeProposal first));
        Assert.Equal(2, first.LastSubstructure);
        Assert.Equal(44, first.Length);
        Assert.Equal(1, first.ProposalNumber);
        Assert.Equal(ProtocolId.Ike, first.ProtocolId);
        Assert.Equal(0, first.SpiSize);
        Assert.True(first.Spi.IsEmpty);
        Assert.Equal(4, first.TransformCount);
        Assert.True(proposals.TryReadNext(out IkeProposal second));
        Assert.Equal(ProtocolId.Esp, second.ProtocolId);
        Assert.Equal(0xC001D00Du, second.Spi32);
        Assert.Equal(0UL, second.Spi64);
        Assert.False(proposals.TryReadNext(out _));
        Assert.False(proposals.IsMalformed);
    }

    [Fact]
    [Trait("rfc", "7296-3.3.2")]
    public void GetTransforms_IkeProposal_TypesIdsAndKeyLength()
    {
        Assert.True(IkeSaPayload.TryRead(s_body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.True(proposals.TryReadNext(out IkeProposal proposal));
        IkeTransformReader transforms = proposal.GetTransforms();
        var seen = new List<(TransformType, ushort, int)>();
        while (transforms.TryReadNext(out IkeTransform transform))
        {
            seen.Add((transform.Type, transform.Id, transform.KeyLength));
        }
        Assert.False(transforms.IsMalformed);
        Assert.Equal(
            [(TransformType.Encryption, (ushort)12, 128), (TransformType.PseudorandomFunction, (ushort)5, 0),
             (TransformType.Integrity, (ushort)12, 0), (TransformType.DiffieHellman, (ushort)14, 0)],
            seen);
    }

    [Fact]
    [Trait("rfc", "7296-3.3.2")]
    public void TypedIds_MatchTransformType()
    {
        Assert.True(IkeSaPayload.TryRead(s_body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        proposals.TryReadNext(out _);
        Assert.True(proposals.TryReadNext(out IkeProposal esp));
        IkeTransformReader transforms = esp.GetTransforms();
        Assert.True(transforms.TryReadNext(out IkeTransform encr));
        Assert.Equal(EncryptionAlgorithm.AesGcm16, encr.EncryptionAlgorithm);
        Assert.Equal(256, encr.KeyLength);
        Assert.True(transforms.TryReadNext(out IkeTransform esn));
        Assert.Equal(TransformType.ExtendedSequenceNumbers, esn.Type);
        Assert.Equal(0, esn.Id);
    }

    [Fact]
    [Trait("rfc", "7296-3.3.5")]
    public void GetAttributes_TlvAttribute_ReadsValueBytes()
    {
        // Transform with a TLV attribute (type 17, 2-octet value) and then Key Length.
        byte[] transformBody = [0x00, 0x11, 0x00, 0x02, 0xAB, 0xCD, 0x80, 0x0E, 0x00, 0xC0];
        byte[] body =
        [
            0x00, 0x00, 0x00, (byte)(8 + 8 + transformBody.Length), 0x01, 0x01, 0x00, 0x01,
            0x00, 0x00, 0x00, (byte)(8 + transformBody.Length), 0x01, 0x00, 0x00, 0x0D, .. transformBody,
        ];
        Assert.True(IkeSaPayload.TryRead(body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.True(proposals.TryReadNext(out IkeProposal proposal));
        IkeTransformReader transforms = proposal.GetTransforms();
        Assert.True(transforms.TryReadNext(out IkeTransform transform));
        IkeTransformAttributeReader attributes = transform.GetAttributes();
        Assert.True(attributes.TryReadNext(out IkeTransformAttribute tlv));
        Assert.False(tlv.IsTypeValue);
        Assert.Equal(17, tlv.Type);
        Assert.Equal([0xAB, 0xCD], tlv.ValueBytes.ToArray());
        Assert.True(attributes.TryReadNext(out IkeTransformAttribute keyLength));
        Assert.True(keyLength.IsTypeValue);
        Assert.Equal(IkeTransformAttribute.KeyLengthType, keyLength.Type);
        Assert.Equal(192, keyLength.Value);
        Assert.True(keyLength.ValueBytes.IsEmpty);
        Assert.False(attributes.TryReadNext(out _));
        Assert.False(attributes.IsMalformed);
        Assert.Equal(192, transform.KeyLength);
    }

    [Fact]
    [Trait("rfc", "7296-3.3.1")]
    public void GetProposals_BadLastSubstruc_Malformed()
    {
        byte[] body = (byte[])s_body.Clone();
        body[0] = 0x07;
        Assert.True(IkeSaPayload.TryRead(body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.False(proposals.TryReadNext(out _));
        Assert.True(proposals.IsMalformed);
    }

    [Fact]
    [Trait("rfc", "7296-3.3")]
    public void GetProposals_LastProposalBeforeEnd_Malformed()
    {
        byte[] body = (byte[])s_body.Clone();
        body[0] = 0x00;
        Assert.True(IkeSaPayload.TryRead(body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.True(proposals.TryReadNext(out _));
        Assert.True(proposals.IsMalformed);
        Assert.False(proposals.TryReadNext(out _));
    }

    [Fact]
    [Trait("rfc", "7296-3.3")]
    public void GetProposals_LengthShorterThanSpi_Malformed()
    {
        byte[] body = (byte[])s_body[44..].Clone();
        body[3] = 0x0B;
        Assert.True(IkeSaPayload.TryRead(body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.False(proposals.TryReadNext(out _));
        Assert.True(proposals.IsMalformed);
    }

    [Fact]
    [Trait("rfc", "7296-3.3.1")]
    public void GetTransforms_CountDisagreesWithHeader_Malformed()
    {
        byte[] body = (byte[])s_body.Clone();
        body[7] = 0x05;
        Assert.True(IkeSaPayload.TryRead(body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.True(proposals.TryReadNext(out IkeProposal proposal));
        IkeTransformReader transforms = proposal.GetTransforms();
        int count = 0;
        while (transforms.TryReadNext(out _))
        {
            count++;
        }
        Assert.Equal(4, count);
        Assert.True(transforms.IsMalformed);
    }

    [Fact]
    [Trait("rfc", "7296-3.3.2")]
    public void GetTransforms_TransformBeyondProposal_Malformed()
    {
        byte[] body = (byte[])s_body.Clone();
        body[11] = 0x30;
        Assert.True(IkeSaPayload.TryRead(body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.True(proposals.TryReadNext(out IkeProposal proposal));
        IkeTransformReader transforms = proposal.GetTransforms();
        Assert.False(transforms.TryReadNext(out _));
        Assert.True(transforms.IsMalformed);
    }

    [Fact]
    public void GetAttributes_AttributeBeyondTransform_MalformedAndKeyLengthZero()
    {
        byte[] body = (byte[])s_body.Clone();
        // Attribute at 16: AF cleared (TLV) with a value length of 8 that does not fit the 12-octet transform.
        body[16] = 0x00;
        body[18] = 0x00;
        body[19] = 0x08;
        Assert.True(IkeSaPayload.TryRead(body, out IkeSaPayload sa));
        IkeProposalReader proposals = sa.GetProposals();
        Assert.True(proposals.TryReadNext(out IkeProposal proposal));
        IkeTransformReader transforms = proposal.GetTransforms();
        Assert.True(transforms.TryReadNext(out IkeTransform transform));
        IkeTransformAttributeReader attributes = transform.GetAttributes();
        Assert.False(attributes.TryReadNext(out _));
        Assert.True(attributes.IsMalformed);
        Assert.Equal(0, transform.KeyLength);
    }

    [Fact]
    public void TryRead_BodyShorterThanProposalHeader_False()
    {
        Assert.False(IkeSaPayload.TryRead(s_body.AsSpan(0, 7), out _));
    }
}
