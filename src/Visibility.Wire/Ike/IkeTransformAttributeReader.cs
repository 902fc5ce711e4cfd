using System.Buffers.Binary;

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
        ReadOnlySpan<byte> rest = _bytes[_offset..];
        int length = (rest[0] & 0x80) != 0 ? 4 : 4 + BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        if (length > remaining)
        {
            _malformed = true;
            return false;
        }
        attribute = new IkeTransformAttribute(rest[..length]);
        _offset += length;
        return true;
    }
}
