namespace Visibility.Wire.Ike;

/// <summary>Enumerates transform attributes; stops at the end or at an attribute that does not fit.</summary>
public ref struct IkeTransformAttributeReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _offset;
    private bool _malformed;

    internal IkeTransformAttributeReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _offset = 0;
        _malformed = false;
    }

    /// <summary>True when trailing octets could not form an attribute.</summary>
    public readonly bool IsMalformed => _malformed;

    public bool TryReadNext(out IkeTransformAttribute attribute)
    {
        bool found = IkeAttributeWalk.TryTake(_bytes, ref _offset, ref _malformed, allowTypeValue: true, out ReadOnlySpan<byte> bytes);
        attribute = found ? new IkeTransformAttribute(bytes) : default;
        return found;
    }
}
