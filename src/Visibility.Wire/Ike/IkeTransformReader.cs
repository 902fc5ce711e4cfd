using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>Enumerates the transforms of a proposal; stops on the last one or on malformed nesting.</summary>
/// <remarks>RFC 7296 §3.3.2: a transform is at least 8 octets, stays inside its proposal, and Last Substruc is
/// 0 (last) or 3 (more). The count in the proposal header must match the transforms found.</remarks>
public ref struct IkeTransformReader
{
    private const byte More = 3;
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _declaredCount;
    private int _offset;
    private int _count;
    private bool _done;
    private bool _malformed;

    internal IkeTransformReader(ReadOnlySpan<byte> bytes, int declaredCount)
    {
        _bytes = bytes;
        _declaredCount = declaredCount;
        _offset = 0;
        _count = 0;
        _done = bytes.IsEmpty && declaredCount == 0;
        _malformed = false;
    }

    /// <summary>True when the walk stopped at a structural error or the transform count disagrees with the header.</summary>
    public readonly bool IsMalformed => _malformed;

    public bool TryReadNext(out IkeTransform transform)
    {
        transform = default;
        if (_done)
        {
            return false;
        }
        int remaining = _bytes.Length - _offset;
        if (remaining < IkeTransform.HeaderLength)
        {
            return Fail();
        }
        ReadOnlySpan<byte> rest = _bytes[_offset..];
        int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        byte last = rest[0];
        if (length < IkeTransform.HeaderLength || length > remaining || (last != 0 && last != More))
        {
            return Fail();
        }
        transform = new IkeTransform(rest[..length]);
        _offset += length;
        _count++;
        if (last == 0)
        {
            _done = true;
            _malformed = _offset != _bytes.Length || _count != _declaredCount;
        }
        return true;
    }

    private bool Fail()
    {
        _done = true;
        _malformed = true;
        return false;
    }
}
