using System.Diagnostics.CodeAnalysis;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>The transforms of an SA payload's proposals, in wire order, kept inline (the first
/// <see cref="Capacity"/>; <see cref="Truncated"/> says when more were offered).</summary>
public struct IkeTransformList
{
    public const int Capacity = 48;

    private IkeTransformArray _entries;

    public int Count { readonly get; private set; }

    public bool Truncated { readonly get; private set; }

    [UnscopedRef]
    public readonly ReadOnlySpan<IkeTransformEntry> Entries => ((ReadOnlySpan<IkeTransformEntry>)_entries)[..Count];

    /// <summary>Number of distinct proposals (by proposal number, in order).</summary>
    public readonly int ProposalCount
    {
        get
        {
            int n = 0;
            int last = -1;
            foreach (IkeTransformEntry e in Entries)
            {
                if (e.ProposalNumber != last)
                {
                    n++;
                    last = e.ProposalNumber;
                }
            }
            return n;
        }
    }

    /// <summary>The first transform of <paramref name="type"/>, or default.</summary>
    public readonly IkeTransformEntry First(TransformType type)
    {
        foreach (IkeTransformEntry e in Entries)
        {
            if (e.Type == type)
            {
                return e;
            }
        }
        return default;
    }

    internal void Add(in IkeTransformEntry entry)
    {
        if (Count == Capacity)
        {
            Truncated = true;
            return;
        }
        _entries[Count++] = entry;
    }

    internal void Clear()
    {
        Count = 0;
        Truncated = false;
    }

    /// <summary>Reads every proposal of an SA payload body; false when its structure is malformed.</summary>
    internal bool Read(ReadOnlySpan<byte> saBody)
    {
        Clear();
        if (!IkeSaPayload.TryRead(saBody, out IkeSaPayload sa))
        {
            return false;
        }
        IkeProposalReader proposals = sa.GetProposals();
        while (proposals.TryReadNext(out IkeProposal proposal))
        {
            IkeTransformReader transforms = proposal.GetTransforms();
            while (transforms.TryReadNext(out IkeTransform transform))
            {
                Add(new IkeTransformEntry(proposal.ProposalNumber, proposal.ProtocolId, transform.Type, transform.Id, (ushort)Math.Clamp(transform.KeyLength, 0, ushort.MaxValue)));
            }
            if (transforms.IsMalformed)
            {
                return false;
            }
        }
        return !proposals.IsMalformed;
    }
}
