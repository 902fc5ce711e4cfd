using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>Enumerates the generic payload chain of an IKEv2 message or of a decrypted SK/SKF body.</summary>
/// <remarks>
/// RFC 7296 §3.2: each payload starts with a 4-octet generic header (<see cref="IkePayload"/>) whose Next
/// Payload names the type of the following payload; 0 ends the chain. SK (46) and SKF (53) must be last and
/// their Next Payload names the first payload <em>inside</em> the encrypted part (RFC 7296 §3.14, RFC 7383 §2.5),
/// so the reader yields them and stops with <see cref="IkeChainStatus.Encrypted"/>. Malformed chains stop the
/// reader with a status; nothing throws. Each payload is at least 4 octets, so the walk is bounded by the buffer.
/// </remarks>
public ref struct IkePayloadReader
{
    private const int GenericHeaderLength = 4;
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;
    private IkePayloadType _next;
    private IkeChainStatus _status;

    /// <summary>Starts a walk at <paramref name="start"/> in <paramref name="buffer"/>, where a payload of type
    /// <paramref name="first"/> is expected. The chain must end at the end of <paramref name="buffer"/>.</summary>
    public IkePayloadReader(ReadOnlySpan<byte> buffer, int start, IkePayloadType first)
    {
        _buffer = buffer;
        _offset = (uint)start <= (uint)buffer.Length ? start : buffer.Length;
        _next = first;
        _status = IkeChainStatus.Reading;
    }

    /// <summary>A reader over a message's payloads; offsets are relative to the start of the IKE header.</summary>
    public static IkePayloadReader ForMessage(IkeHeader header) => new(header.Message, IkeHeader.Size, header.NextPayload);

    /// <summary>A reader over a bare chain, such as the inner payloads of a decrypted SK payload.</summary>
    public static IkePayloadReader ForChain(ReadOnlySpan<byte> chain, IkePayloadType first) => new(chain, 0, first);

    /// <summary>Why the walk stopped, or <see cref="IkeChainStatus.Reading"/> while it can go on.</summary>
    public readonly IkeChainStatus Status => _status;

    /// <summary>Offset of the next payload to read (after the walk: where it stopped).</summary>
    public readonly int Offset => _offset;

    /// <summary>The type the chain announces next (after SK/SKF: the first inner payload).</summary>
    public readonly IkePayloadType NextPayloadType => _next;

    /// <summary>Reads the next payload; false once the chain has ended or is found malformed (see <see cref="Status"/>).</summary>
    public bool TryReadNext(out IkePayload payload)
    {
        payload = default;
        if (_status != IkeChainStatus.Reading)
        {
            return false;
        }
        int remaining = _buffer.Length - _offset;
        if (_next == IkePayloadType.None)
        {
            _status = remaining == 0 ? IkeChainStatus.Complete : IkeChainStatus.TrailingData;
            return false;
        }
        if (remaining < GenericHeaderLength)
        {
            _status = remaining == 0 ? IkeChainStatus.Unterminated : IkeChainStatus.PayloadTruncated;
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_offset + 2, 2));
        if (length < GenericHeaderLength)
        {
            _status = IkeChainStatus.PayloadTooShort;
            return false;
        }
        if (length > remaining)
        {
            _status = IkeChainStatus.PayloadTruncated;
            return false;
        }
        IkePayloadType type = _next;
        ReadOnlySpan<byte> bytes = _buffer.Slice(_offset, length);
        payload = new IkePayload(type, bytes, _offset);
        _offset += length;
        _next = (IkePayloadType)bytes[0];
        if (type is IkePayloadType.Encrypted or IkePayloadType.EncryptedFragment)
        {
            _status = _offset == _buffer.Length ? IkeChainStatus.Encrypted : IkeChainStatus.TrailingData;
        }
        return true;
    }
}
