using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>Enumerates the traffic selectors of a TS payload; stops on malformed lengths.</summary>
public ref struct IkeTrafficSelectorReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _declaredCount;
    private int _offset;
    private int _count;
    private bool _malformed;

    internal IkeTrafficSelectorReader(ReadOnlySpan<byte> bytes, int declaredCount)
    {
        _bytes = bytes;
        _declaredCount = declaredCount;
        _offset = 0;
        _count = 0;
        _malformed = false;
    }

    /// <summary>True when a selector did not fit, or the selectors found disagree with the declared count.</summary>
    public readonly bool IsMalformed => _malformed;

    public bool TryReadNext(out IkeTrafficSelector selector)
    {
        selector = default;
        if (_malformed)
        {
            return false;
        }
        int remaining = _bytes.Length - _offset;
        if (remaining == 0)
        {
            _malformed = _count != _declaredCount;
            return false;
        }
        if (remaining < 4)
        {
            _malformed = true;
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(_bytes[(_offset + 2)..]);
        if (length < 4 || length > remaining)
        {
            _malformed = true;
            return false;
        }
        selector = new IkeTrafficSelector(_bytes.Slice(_offset, length));
        _offset += length;
        _count++;
        return true;
    }
}
