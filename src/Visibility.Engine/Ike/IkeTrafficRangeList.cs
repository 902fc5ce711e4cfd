using System.Diagnostics.CodeAnalysis;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>The address-range selectors of a TSi or TSr payload, kept inline (the first <see cref="Capacity"/>).</summary>
public struct IkeTrafficRangeList
{
    public const int Capacity = 2;

    private IkeTrafficRangeArray _ranges;

    public int Count { readonly get; private set; }

    [UnscopedRef]
    public readonly ReadOnlySpan<IkeTrafficRange> Ranges => ((ReadOnlySpan<IkeTrafficRange>)_ranges)[..Count];

    /// <summary>Reads a TSi/TSr payload body; false when it is malformed.</summary>
    internal bool Read(ReadOnlySpan<byte> body)
    {
        Count = 0;
        if (!IkeTrafficSelectorPayload.TryRead(body, out IkeTrafficSelectorPayload payload))
        {
            return false;
        }
        IkeTrafficSelectorReader reader = payload.GetSelectors();
        while (reader.TryReadNext(out IkeTrafficSelector selector))
        {
            if (selector.IsAddressRange && Count < Capacity)
            {
                _ranges[Count++] = new IkeTrafficRange(selector.StartNetworkAddress, selector.EndNetworkAddress, selector.IPProtocol, selector.StartPort, selector.EndPort);
            }
        }
        return !reader.IsMalformed;
    }
}
