using System.Buffers.Binary;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>Test-only extraction of IKE messages from frames, until the frame decoder exists: Ethernet (with VLAN
/// tags), BSD loopback, raw IP and Linux SLL links; IPv4 and IPv6 (extension headers walked); UDP 500, and UDP 4500
/// with the 4-octet non-ESP marker (RFC 3948 §2.2). IP fragments are skipped (reassembly is not done here).</summary>
internal static class IkeFrameExtractor
{
    public const ushort IkePort = 500;
    public const ushort NatTraversalPort = 4500;

    public static List<IkeDatagram> FromCapture(string path, out int skippedFragments)
    {
        var result = new List<IkeDatagram>();
        skippedFragments = 0;
        foreach (CapturedFrame frame in TestCaptureReader.ReadAll(path))
        {
            switch (TryExtract(frame, out IkeDatagram? datagram))
            {
                case ExtractResult.Ike:
                    result.Add(datagram!);
                    break;
                case ExtractResult.Fragment:
                    skippedFragments++;
                    break;
            }
        }
        return result;
    }

    public enum ExtractResult
    {
        NotIke,
        Ike,
        Fragment,
    }

    public static ExtractResult TryExtract(CapturedFrame frame, out IkeDatagram? datagram)
    {
        datagram = null;
        ReadOnlySpan<byte> data = frame.Data;
        int offset;
        int ipVersion;
        switch ((int)frame.LinkType)
        {
            case 1:
                {
                    if (data.Length < 14)
                    {
                        return ExtractResult.NotIke;
                    }
                    int typeOffset = 12;
                    ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(data[typeOffset..]);
                    while (etherType is 0x8100 or 0x88A8 && data.Length >= typeOffset + 6)
                    {
                        typeOffset += 4;
                        etherType = BinaryPrimitives.ReadUInt16BigEndian(data[typeOffset..]);
                    }
                    offset = typeOffset + 2;
                    ipVersion = etherType switch { 0x0800 => 4, 0x86DD => 6, _ => 0 };
                    break;
                }
            case 0:
                {
                    if (data.Length < 4)
                    {
                        return ExtractResult.NotIke;
                    }
                    uint family = BinaryPrimitives.ReadUInt32LittleEndian(data);
                    if (family > 0xFFFF)
                    {
                        family = BinaryPrimitives.ReadUInt32BigEndian(data);
                    }
                    offset = 4;
                    ipVersion = family switch { 2 => 4, 24 or 28 or 30 => 6, _ => 0 };
                    break;
                }
            case 101:
            case 12:
            case 228:
            case 229:
                offset = 0;
                ipVersion = data.Length > 0 ? data[0] >> 4 : 0;
                break;
            case 113:
                {
                    if (data.Length < 16)
                    {
                        return ExtractResult.NotIke;
                    }
                    offset = 16;
                    ipVersion = BinaryPrimitives.ReadUInt16BigEndian(data[14..]) switch { 0x0800 => 4, 0x86DD => 6, _ => 0 };
                    break;
                }
            default:
                return ExtractResult.NotIke;
        }
        ReadOnlySpan<byte> ip = data[offset..];
        ReadOnlySpan<byte> udp;
        if (ipVersion == 4)
        {
            if (ip.Length < 20 || ip[0] >> 4 != 4)
            {
                return ExtractResult.NotIke;
            }
            int headerLength = (ip[0] & 0x0F) * 4;
            int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
            if (ip[9] != 17 || headerLength < 20 || ip.Length < headerLength)
            {
                return ExtractResult.NotIke;
            }
            if ((fragment & 0x3FFF) != 0)
            {
                return ExtractResult.Fragment;
            }
            int end = Math.Min(ip.Length, Math.Max(totalLength, headerLength));
            udp = ip[headerLength..end];
        }
        else if (ipVersion == 6)
        {
            if (ip.Length < 40)
            {
                return ExtractResult.NotIke;
            }
            int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            byte next = ip[6];
            int position = 40;
            while (next is 0 or 43 or 60 or 44)
            {
                if (next == 44)
                {
                    return ExtractResult.Fragment;
                }
                if (ip.Length < position + 8)
                {
                    return ExtractResult.NotIke;
                }
                byte following = ip[position];
                position += (ip[position + 1] + 1) * 8;
                next = following;
            }
            if (next != 17 || ip.Length < position)
            {
                return ExtractResult.NotIke;
            }
            udp = ip[position..Math.Min(ip.Length, 40 + payloadLength)];
        }
        else
        {
            return ExtractResult.NotIke;
        }
        if (udp.Length < 8)
        {
            return ExtractResult.NotIke;
        }
        ushort sourcePort = BinaryPrimitives.ReadUInt16BigEndian(udp);
        ushort destinationPort = BinaryPrimitives.ReadUInt16BigEndian(udp[2..]);
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        ReadOnlySpan<byte> payload = udp[8..Math.Min(udp.Length, Math.Max(udpLength, 8))];
        if (sourcePort == IkePort || destinationPort == IkePort)
        {
            datagram = new IkeDatagram(frame.FrameNumber, sourcePort, destinationPort, false, payload.ToArray());
            return ExtractResult.Ike;
        }
        if ((sourcePort == NatTraversalPort || destinationPort == NatTraversalPort)
            && payload.Length > 4 && BinaryPrimitives.ReadUInt32BigEndian(payload) == 0)
        {
            datagram = new IkeDatagram(frame.FrameNumber, sourcePort, destinationPort, true, payload[4..].ToArray());
            return ExtractResult.Ike;
        }
        return ExtractResult.NotIke;
    }
}
