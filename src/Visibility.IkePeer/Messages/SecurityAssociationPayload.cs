using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>SA payload (33): proposals, each with transforms and attributes.</summary>
/// <remarks>
/// RFC 7296 §3.3.1 proposal: Last Substruc (0/2), reserved, Proposal Length (2), Proposal Num, Protocol ID,
/// SPI Size, Num Transforms, SPI. §3.3.2 transform: Last Substruc (0/3), reserved, Transform Length (2),
/// Transform Type, reserved, Transform ID (2), attributes. §3.3.5 Key Length attribute: <c>80 0E hh ll</c>.
/// </remarks>
internal sealed class SecurityAssociationPayload : Payload
{
    public SecurityAssociationPayload(IReadOnlyList<Proposal> proposals) => Proposals = proposals;

    public override IkePayloadType PayloadType => IkePayloadType.SecurityAssociation;

    public IReadOnlyList<Proposal> Proposals { get; }

    public static SecurityAssociationPayload? From(ReadOnlySpan<byte> body)
    {
        if (!IkeSaPayload.TryRead(body, out var view))
        {
            return null;
        }

        var proposals = new List<Proposal>();
        var reader = view.GetProposals();
        while (reader.TryReadNext(out var proposal))
        {
            var transforms = new List<Transform>();
            var transformReader = proposal.GetTransforms();
            while (transformReader.TryReadNext(out var transform))
            {
                transforms.Add(new Transform(transform.Type, transform.Id, (ushort)transform.KeyLength));
            }

            if (transformReader.IsMalformed)
            {
                return null;
            }

            proposals.Add(new Proposal(proposal.ProposalNumber, proposal.ProtocolId, proposal.Spi.ToArray(), transforms));
        }

        return reader.IsMalformed || proposals.Count == 0 ? null : new SecurityAssociationPayload(proposals);
    }

    public override void WriteBody(List<byte> output)
    {
        for (var i = 0; i < Proposals.Count; i++)
        {
            var proposal = Proposals[i];
            var start = output.Count;
            output.Add(i == Proposals.Count - 1 ? (byte)0 : (byte)2);
            output.Add(0);
            output.Add(0);
            output.Add(0);
            output.Add(proposal.Number);
            output.Add((byte)proposal.ProtocolId);
            output.Add((byte)proposal.Spi.Length);
            output.Add((byte)proposal.Transforms.Count);
            output.AddRange(proposal.Spi);
            for (var j = 0; j < proposal.Transforms.Count; j++)
            {
                var transform = proposal.Transforms[j];
                var length = transform.KeyLength != 0 ? 12 : 8;
                output.Add(j == proposal.Transforms.Count - 1 ? (byte)0 : (byte)3);
                output.Add(0);
                output.Add((byte)(length >> 8));
                output.Add((byte)length);
                output.Add((byte)transform.Type);
                output.Add(0);
                output.Add((byte)(transform.Id >> 8));
                output.Add((byte)transform.Id);
                if (transform.KeyLength != 0)
                {
                    output.Add(0x80);
                    output.Add((byte)IkeTransformAttribute.KeyLengthType);
                    output.Add((byte)(transform.KeyLength >> 8));
                    output.Add((byte)transform.KeyLength);
                }
            }

            var proposalLength = output.Count - start;
            output[start + 2] = (byte)(proposalLength >> 8);
            output[start + 3] = (byte)proposalLength;
        }
    }
}
