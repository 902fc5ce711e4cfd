using System.Buffers.Binary;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Eap;

/// <summary>Builds EAP packets [RFC 3748 §4].</summary>
/// <remarks>
/// <code>
/// | Code | Identifier | Length (2) | Type (Request/Response only) | Type-Data ... |
/// </code>
/// Success and Failure carry only the first four octets.
/// </remarks>
internal static class EapPacket
{
    public static byte[] Build(EapCode code, byte identifier, EapMethod type, ReadOnlySpan<byte> typeData)
    {
        var hasType = code is EapCode.Request or EapCode.Response;
        var packet = new byte[4 + (hasType ? 1 + typeData.Length : 0)];
        packet[0] = (byte)code;
        packet[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        if (hasType)
        {
            packet[4] = (byte)type;
            typeData.CopyTo(packet.AsSpan(5));
        }

        return packet;
    }
}
