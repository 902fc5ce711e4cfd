using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>One payload of an IKEv2 payload chain, as yielded by <see cref="IkePayloadReader"/>.</summary>
/// <remarks>
/// RFC 7296 §3.2, the generic payload header:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="Type"/> is this payload's type (named by the previous Next Payload); <see cref="NextPayload"/>
/// names the following one, or for SK/SKF the first inner payload. Spans point into the reader's buffer.
/// </remarks>
public readonly ref struct IkePayload
{
    internal IkePayload(IkePayloadType type, ReadOnlySpan<byte> bytes, int offset)
    {
        Type = type;
        Bytes = bytes;
        Offset = offset;
    }

    /// <summary>The type of this payload.</summary>
    public IkePayloadType Type { get; }

    /// <summary>The whole payload, generic header included.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Offset of the generic header in the buffer the reader walks (the message, or a decrypted chain).</summary>
    public int Offset { get; }

    public IkePayloadType NextPayload => (IkePayloadType)Bytes[0];

    /// <summary>C bit: the receiver must reject the message if it does not understand this payload type.</summary>
    public bool IsCritical => (Bytes[1] & 0x80) != 0;

    /// <summary>The seven reserved bits after C (0 on the wire).</summary>
    public byte Reserved => (byte)(Bytes[1] & 0x7F);

    /// <summary>Payload Length: header plus body.</summary>
    public int Length => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    /// <summary>The payload after its 4-octet generic header.</summary>
    public ReadOnlySpan<byte> Body => Bytes[4..];
}
