using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Visibility.IkePeer.Session;

/// <summary>NAT_DETECTION_SOURCE_IP / _DESTINATION_IP hashes.</summary>
/// <remarks>
/// RFC 7296 §2.23: <c>SHA-1(SPIi | SPIr | IP address | port)</c>, SPIs as in the header (SPIr zero in the first
/// request), the address as 4 or 16 octets and the port as 2, network order (the RFC 3947 §3.2 encoding).
/// </remarks>
internal static class NatDetection
{
    public static byte[] Hash(ulong spiI, ulong spiR, IPEndPoint endpoint)
    {
        var address = endpoint.Address.GetAddressBytes();
        var input = new byte[16 + address.Length + 2];
        BinaryPrimitives.WriteUInt64BigEndian(input, spiI);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(8), spiR);
        address.CopyTo(input, 16);
        BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(16 + address.Length), (ushort)endpoint.Port);
        return SHA1.HashData(input);
    }

    /// <summary>A source hash that matches no address: it tells the other side we sit behind a NAT, so that it
    /// UDP-encapsulates ESP. The peer has no raw-ESP path, as strongSwan's kernel-libipsec, which does the same.</summary>
    public static byte[] FakeSourceHash() => RandomNumberGenerator.GetBytes(20);
}
