using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>SA payload (33): proposals, each with transforms and attributes.</summary>
/// <remarks>
/// RFC 7296 §3.3.1 proposal: Last Substruc (0/2), reserved, Proposal Length (2), Proposal Num, Protocol ID,
/// SPI Size, Num Transforms, SPI. §3.3.2 transform: Last Substruc (0/3), reserved, Transform Length (2),
/// Transform Type, reserved, Transform ID (2), attributes. §3.3.5 Key Length attribute: <c>80 0E hh ll</c>.
/// </remarks>
internal sealed class SecurityAssociationPayload : IkePayload
{
    public SecurityAssociationPayload(IReadOnlyList<Proposal> proposals) => Proposals = proposals;

    public override byte PayloadType => PeerIana.PayloadSecurityAssociation;

    public IReadOnlyList<Proposal> Proposals { get; }

    public static bool TryParse(ReadOnlySpan<byte> body, out SecurityAssociationPayload? payload)
    {
        payload = null;
        var proposals = new List<Proposal>();
        var offset = 0;
        while (true)
        {
            if (body.Length - offset < 8)
            {
                return false;
            }

            var p = body[offset..];
            var last = p[0];
            var length = (p[2] << 8) | p[3];
            var spiSize = p[6];
            var count = p[7];
            if (length < 8 + spiSize || length > p.Length || (last != 0 && last != 2))
            {
                return false;
            }

            var spi = p.Slice(8, spiSize).ToArray();
            var transforms = new List<Transform>();
            var t = p[(8 + spiSize)..length];
            for (var i = 0; i < count; i++)
            {
                if (t.Length < 8)
                {
                    return false;
                }

                var tLength = (t[2] << 8) | t[3];
                if (tLength < 8 || tLength > t.Length)
                {
                    return false;
                }

                ushort keyLength = 0;
                var attributes = t[8..tLength];
                while (attributes.Length >= 4)
                {
                    var af = (attributes[0] & 0x80) != 0;
                    var type = ((attributes[0] & 0x7F) << 8) | attributes[1];
                    var value = (ushort)((attributes[2] << 8) | attributes[3]);
                    if (af)
                    {
                        if (type == PeerIana.AttributeKeyLength)
                        {
                            keyLength = value;
                        }

                        attributes = attributes[4..];
                    }
                    else
                    {
                        if (attributes.Length < 4 + value)
                        {
                            return false;
                        }

                        attributes = attributes[(4 + value)..];
                    }
                }

                transforms.Add(new Transform(t[4], (ushort)((t[6] << 8) | t[7]), keyLength));
                t = t[tLength..];
            }

            proposals.Add(new Proposal(p[4], p[5], spi, transforms));
            offset += length;
            if (last == 0)
            {
                break;
            }
        }

        payload = new SecurityAssociationPayload(proposals);
        return true;
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
            output.Add(proposal.ProtocolId);
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
                output.Add(transform.Type);
                output.Add(0);
                output.Add((byte)(transform.Id >> 8));
                output.Add((byte)transform.Id);
                if (transform.KeyLength != 0)
                {
                    output.Add(0x80);
                    output.Add((byte)PeerIana.AttributeKeyLength);
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
