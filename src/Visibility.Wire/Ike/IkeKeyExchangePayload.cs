using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the body of a KE payload (type 34).</summary>
/// <remarks>
/// RFC 7296 §3.4 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Diffie-Hellman Group Num    |           RESERVED            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       Key Exchange Data                       ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct IkeKeyExchangePayload
{
    private IkeKeyExchangePayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeKeyExchangePayload payload)
    {
        if (body.Length < 4)
        {
            payload = default;
            return false;
        }
        payload = new IkeKeyExchangePayload(body);
        return true;
    }

    public DhGroup DhGroup => (DhGroup)BinaryPrimitives.ReadUInt16BigEndian(Body);

    public ReadOnlySpan<byte> KeyExchangeData => Body[4..];
}
