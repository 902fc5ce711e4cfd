using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>TSi (44) / TSr (45): Number of TSs, 3 reserved octets, selectors [RFC 7296 §3.13].</summary>
internal sealed class TrafficSelectorPayload : IkePayload
{
    public TrafficSelectorPayload(bool initiator, IReadOnlyList<TrafficSelector> selectors)
    {
        IsInitiator = initiator;
        Selectors = selectors;
    }

    public override byte PayloadType => IsInitiator ? PeerIana.PayloadTrafficSelectorInitiator : PeerIana.PayloadTrafficSelectorResponder;

    public bool IsInitiator { get; }

    /// <summary>Selectors of the types the peer understands (IPv4/IPv6 ranges); others are skipped.</summary>
    public IReadOnlyList<TrafficSelector> Selectors { get; }

    public static TrafficSelectorPayload? Parse(bool initiator, ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            return null;
        }

        var count = body[0];
        var selectors = new List<TrafficSelector>();
        var rest = body[4..];
        for (var i = 0; i < count; i++)
        {
            if (!TrafficSelector.TryRead(rest, out var selector, out var consumed))
            {
                return null;
            }

            if (selector is not null)
            {
                selectors.Add(selector);
            }

            rest = rest[consumed..];
        }

        return new TrafficSelectorPayload(initiator, selectors);
    }

    public override void WriteBody(List<byte> output)
    {
        output.Add((byte)Selectors.Count);
        output.Add(0);
        output.Add(0);
        output.Add(0);
        foreach (var selector in Selectors)
        {
            selector.Write(output);
        }
    }
}
