namespace Visibility.Wire.Ike;

/// <summary>View over the body of a TSi or TSr payload (types 44, 45).</summary>
/// <remarks>
/// RFC 7296 §3.13 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Number of TSs |                 RESERVED                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       &lt;Traffic Selectors&gt;                     ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct IkeTrafficSelectorPayload
{
    private IkeTrafficSelectorPayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeTrafficSelectorPayload payload)
    {
        if (body.Length < 4)
        {
            payload = default;
            return false;
        }
        payload = new IkeTrafficSelectorPayload(body);
        return true;
    }

    public byte SelectorCount => Body[0];

    public IkeTrafficSelectorReader GetSelectors() => new(Body[4..], SelectorCount);
}
