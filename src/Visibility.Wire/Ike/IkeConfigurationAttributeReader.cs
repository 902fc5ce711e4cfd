namespace Visibility.Wire.Ike;

/// <summary>Enumerates the attributes of a CP payload; stops at the end or at an attribute that does not fit.</summary>
public ref struct IkeConfigurationAttributeReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _offset;
    private bool _malformed;

    internal IkeConfigurationAttributeReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _offset = 0;
        _malformed = false;
    }

    public readonly bool IsMalformed => _malformed;

    public bool TryReadNext(out IkeConfigurationAttribute attribute)
    {
        bool found = IkeAttributeWalk.TryTake(_bytes, ref _offset, ref _malformed, allowTypeValue: false, out ReadOnlySpan<byte> bytes);
        attribute = found ? new IkeConfigurationAttribute(bytes) : default;
        return found;
    }
}
