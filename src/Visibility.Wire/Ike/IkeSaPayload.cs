namespace Visibility.Wire.Ike;

/// <summary>View over the body of an SA payload (type 33): one or more Proposal substructures.</summary>
/// <remarks>
/// RFC 7296 §3.3. The body is a list of proposals; each proposal holds its transforms and each transform its
/// attributes, and every length includes what it contains (see <see cref="IkeProposal"/>, <see cref="IkeTransform"/>,
/// <see cref="IkeTransformAttribute"/>). Walk with <see cref="GetProposals"/>; a malformed nesting stops the walk
/// and shows in <see cref="IkeProposalReader.IsMalformed"/>.
/// </remarks>
public readonly ref struct IkeSaPayload
{
    private IkeSaPayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    /// <summary>Wraps an SA body; false when it cannot hold even one proposal header (8 octets).</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out IkeSaPayload payload)
    {
        if (body.Length < IkeProposal.HeaderLength)
        {
            payload = default;
            return false;
        }
        payload = new IkeSaPayload(body);
        return true;
    }

    public IkeProposalReader GetProposals() => new(Body);
}
