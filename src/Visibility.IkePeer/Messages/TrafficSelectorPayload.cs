using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>TSi (44) / TSr (45): Number of TSs, 3 reserved octets, selectors [RFC 7296 §3.13].</summary>
internal sealed class TrafficSelectorPayload : Payload
{
    public TrafficSelectorPayload(bool initiator, IReadOnlyList<TrafficSelector> selectors)
    {
        IsInitiator = initiator;
        Selectors = selectors;
    }

    public override IkePayloadType PayloadType => IsInitiator ? IkePayloadType.TrafficSelectorInitiator : IkePayloadType.TrafficSelectorResponder;

    public bool IsInitiator { get; }

    /// <summary>Selectors of the types the peer understands (IPv4/IPv6 ranges); others are skipped.</summary>
    public IReadOnlyList<TrafficSelector> Selectors { get; }

    public static TrafficSelectorPayload? From(bool initiator, ReadOnlySpan<byte> body)
    {
        if (!IkeTrafficSelectorPayload.TryRead(body, out var view))
        {
            return null;
        }

        var selectors = new List<TrafficSelector>();
        var reader = view.GetSelectors();
        while (reader.TryReadNext(out var selector))
        {
            if (TrafficSelector.From(selector) is { } known)
            {
                selectors.Add(known);
            }
        }

        return reader.IsMalformed ? null : new TrafficSelectorPayload(initiator, selectors);
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
