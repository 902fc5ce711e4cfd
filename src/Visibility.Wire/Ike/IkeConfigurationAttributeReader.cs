using System.Buffers.Binary;

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
        attribute = default;
        int remaining = _bytes.Length - _offset;
        if (remaining == 0 || _malformed)
        {
            return false;
        }
        if (remaining < 4)
        {
            _malformed = true;
            return false;
        }
        int length = 4 + BinaryPrimitives.ReadUInt16BigEndian(_bytes[(_offset + 2)..]);
        if (length > remaining)
        {
            _malformed = true;
            return false;
        }
        attribute = new IkeConfigurationAttribute(_bytes.Slice(_offset, length));
        _offset += length;
        return true;
    }
}
