using System.Buffers.Binary;
using Visibility.Engine.Esp;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Esp;

/// <summary>Builds the packets the ESP tests need. Checksums come from a plain 16-bit reference loop written here, not
/// from the code under test.</summary>
internal static class EspTestPackets
{
    public static readonly NetworkAddress V4Source = NetworkAddress.Parse("192.0.2.10");
    public static readonly NetworkAddress V4Destination = NetworkAddress.Parse("198.51.100.20");
    public static readonly NetworkAddress V6Source = NetworkAddress.Parse("2001:db8::10");
    public static readonly NetworkAddress V6Destination = NetworkAddress.Parse("2001:db8::20");
    public static readonly NetworkAddress InnerV4Source = NetworkAddress.Parse("10.1.0.10");
    public static readonly NetworkAddress InnerV4Destination = NetworkAddress.Parse("10.2.0.20");
    public static readonly NetworkAddress InnerV6Source = NetworkAddress.Parse("fd00::1");
    public static readonly NetworkAddress InnerV6Destination = NetworkAddress.Parse("fd00::2");

    /// <summary>A TLS 1.2 ClientHello record header and the start of its body.</summary>
    public static readonly byte[] TlsClientHello =
    [
        0x16, 0x03, 0x01, 0x00, 0x2f, // record: handshake, TLS 1.0 record version, length 47
        0x01, 0x00, 0x00, 0x2b, 0x03, 0x03, // ClientHello, length 43, client_version TLS 1.2
        .. Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)), // random
        0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00, // session id, cipher suites, compression
        0x00, 0x00, // extensions length 0 (truncated hello, enough for a payload)
    ];

    // ---- checksums (reference implementation)

    public static ushort Checksum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        uint sum = initial;
        for (int i = 0; i < data.Length; i += 2)
        {
            int word = data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0);
            sum += (uint)word;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    public static uint PseudoSum(NetworkAddress source, NetworkAddress destination, byte protocol, int length)
    {
        Span<byte> bytes = stackalloc byte[16];
        uint sum = 0;
        foreach (NetworkAddress address in new[] { source, destination })
        {
            int n = address.WriteBytes(bytes);
            for (int i = 0; i < n; i += 2)
            {
                sum += (uint)(bytes[i] << 8 | bytes[i + 1]);
            }
        }
        return sum + protocol + (uint)(length >> 16) + (uint)(length & 0xFFFF);
    }

    // ---- IP

    public static byte[] IPv4(NetworkAddress source, NetworkAddress destination, byte protocol, byte[] payload, ushort identification = 1,
        ushort flagsAndOffset = 0x4000)
    {
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identification);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), flagsAndOffset);
        packet[8] = 64;
        packet[9] = protocol;
        source.WriteBytes(packet.AsSpan(12));
        destination.WriteBytes(packet.AsSpan(16));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, 20)));
        payload.CopyTo(packet, 20);
        return packet;
    }

    public static byte[] IPv6(NetworkAddress source, NetworkAddress destination, byte nextHeader, byte[] payload)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 64;
        source.WriteBytes(packet.AsSpan(8));
        destination.WriteBytes(packet.AsSpan(24));
        payload.CopyTo(packet, 40);
        return packet;
    }

    // ---- transport

    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20;

    public static byte[] Tcp(NetworkAddress source, NetworkAddress destination, ushort sourcePort, ushort destinationPort, uint sequence,
        uint acknowledgment, byte flags, byte[] data, byte[]? options = null)
    {
        options ??= [];
        int headerLength = 20 + options.Length;
        var segment = new byte[headerLength + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), acknowledgment);
        segment[12] = (byte)(headerLength / 4 << 4);
        segment[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), 64240);
        options.CopyTo(segment, 20);
        data.CopyTo(segment, headerLength);
        ushort checksum = Checksum(segment, PseudoSum(source, destination, 6, segment.Length));
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(16), checksum);
        return segment;
    }

    public static byte[] Udp(NetworkAddress source, NetworkAddress destination, ushort sourcePort, ushort destinationPort, byte[] data,
        bool withChecksum = true)
    {
        var datagram = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        data.CopyTo(datagram, 8);
        if (withChecksum)
        {
            ushort checksum = Checksum(datagram, PseudoSum(source, destination, 17, datagram.Length));
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(6), checksum == 0 ? (ushort)0xFFFF : checksum);
        }
        return datagram;
    }

    public static byte[] IcmpEcho(ushort identifier, ushort sequence, byte[] data)
    {
        var message = new byte[8 + data.Length];
        message[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), sequence);
        data.CopyTo(message, 8);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), Checksum(message));
        return message;
    }

    public static byte[] IcmpV6Echo(NetworkAddress source, NetworkAddress destination, ushort identifier, ushort sequence, byte[] data)
    {
        var message = new byte[8 + data.Length];
        message[0] = 128;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), sequence);
        data.CopyTo(message, 8);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), Checksum(message, PseudoSum(source, destination, 58, message.Length)));
        return message;
    }

    // ---- ESP

    /// <summary>An ESP-NULL packet: SPI | Seq | IV | payload | TFC | padding | Pad Length | Next Header | ICV.</summary>
    /// <param name="padLength">Padding octets; default: the fewest that end the trailer on a 4-octet boundary.</param>
    /// <param name="randomPadding">Padding with random content instead of 1, 2, 3, ... (allowed by RFC 4303 §2.4).</param>
    /// <param name="tfcLength">Random TFC padding after the payload (RFC 4303 §2.7).</param>
    public static byte[] EspNull(uint spi, uint sequence, byte nextHeader, byte[] payload, int icvLength, int ivLength = 0,
        int? padLength = null, bool randomPadding = false, int tfcLength = 0, int seed = 1)
    {
        var random = new Random(seed);
        int pad = padLength ?? (4 - (ivLength + payload.Length + tfcLength + 2) % 4) % 4;
        var packet = new byte[8 + ivLength + payload.Length + tfcLength + pad + 2 + icvLength];
        BinaryPrimitives.WriteUInt32BigEndian(packet, spi);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence);
        int offset = 8;
        random.NextBytes(packet.AsSpan(offset, ivLength));
        offset += ivLength;
        payload.CopyTo(packet, offset);
        offset += payload.Length;
        random.NextBytes(packet.AsSpan(offset, tfcLength));
        offset += tfcLength;
        for (int i = 0; i < pad; i++)
        {
            packet[offset + i] = randomPadding ? (byte)random.Next(256) : (byte)(i + 1);
        }
        if (randomPadding && pad > 0 && packet[offset] == 1)
        {
            packet[offset] = 0xEE; // make sure the content is not the default sequence by chance
        }
        offset += pad;
        packet[offset++] = (byte)pad;
        packet[offset++] = nextHeader;
        random.NextBytes(packet.AsSpan(offset, icvLength));
        return packet;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Random octets with an SPI and Sequence Number in front: what encrypted ESP looks like.</summary>
    public static byte[] RandomEsp(int length, int seed, uint spi = 0x1000, uint sequence = 1)
    {
        byte[] packet = RandomBytes(length, seed);
        if (length >= 8)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet, spi);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence);
        }
        return packet;
    }

    // ---- samples

    /// <summary>Inner payloads for ESP-NULL, by name, with the outer addresses a transport-mode SA would use.</summary>
    public static EspSample Sample(string name)
    {
        NetworkAddress s4 = V4Source, d4 = V4Destination, s6 = V6Source, d6 = V6Destination;
        NetworkAddress is4 = InnerV4Source, id4 = InnerV4Destination, is6 = InnerV6Source, id6 = InnerV6Destination;
        byte[] dns = [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 7, .. "example"u8, 4, .. "test"u8, 0, 0, 1, 0, 1];
        return name switch
        {
            "v4-tcp-syn" => new(name, 6, Tcp(s4, d4, 40000, 443, 1000, 0, Syn, [], [2, 4, 5, 0xb4, 1, 1, 4, 2]), s4, d4, EspMode.Transport),
            "v4-tcp-tls" => new(name, 6, Tcp(s4, d4, 40000, 443, 1001, 77, Ack | Psh, TlsClientHello), s4, d4, EspMode.Transport),
            "v4-tcp-ack" => new(name, 6, Tcp(s4, d4, 40000, 443, 1001, 77, Ack, []), s4, d4, EspMode.Transport),
            "v4-udp-dns" => new(name, 17, Udp(s4, d4, 5353, 53, dns), s4, d4, EspMode.Transport),
            "v4-udp-empty" => new(name, 17, Udp(s4, d4, 5000, 5001, []), s4, d4, EspMode.Transport),
            "v4-icmp-echo" => new(name, 1, IcmpEcho(0x1234, 1, "abcdefghijklmnopqrstuvwabcdefghi"u8.ToArray()), s4, d4, EspMode.Transport),
            "v6-tcp-syn" => new(name, 6, Tcp(s6, d6, 51000, 22, 7, 0, Syn, []), s6, d6, EspMode.Transport),
            "v6-udp-echo" => new(name, 17, Udp(s6, d6, 6000, 7, "echo-over-esp-null-ipv6"u8.ToArray()), s6, d6, EspMode.Transport),
            "v6-icmpv6-echo" => new(name, 58, IcmpV6Echo(s6, d6, 1, 1, RandomBytes(56, 3)), s6, d6, EspMode.Transport),
            "v4-in-v4-icmp" => new(name, 4, IPv4(is4, id4, 1, IcmpEcho(7, 1, "ping"u8.ToArray())), s4, d4, EspMode.Tunnel),
            "v4-in-v4-tcp" => new(name, 4, IPv4(is4, id4, 6, Tcp(is4, id4, 40000, 80, 1, 0, Syn, [])), s4, d4, EspMode.Tunnel),
            "v4-in-v4-udp" => new(name, 4, IPv4(is4, id4, 17, Udp(is4, id4, 5353, 53, dns)), s4, d4, EspMode.Tunnel),
            "v6-in-v4-udp" => new(name, 41, IPv6(is6, id6, 17, Udp(is6, id6, 5353, 53, dns)), s4, d4, EspMode.Tunnel),
            "v4-in-v6-tcp" => new(name, 4, IPv4(is4, id4, 6, Tcp(is4, id4, 40000, 80, 1, 5, Ack, TlsClientHello)), s6, d6, EspMode.Tunnel),
            "v6-in-v6-icmpv6" => new(name, 41, IPv6(is6, id6, 58, IcmpV6Echo(is6, id6, 9, 9, RandomBytes(16, 4))), s6, d6, EspMode.Tunnel),
            _ => throw new ArgumentException($"no sample {name}", nameof(name)),
        };
    }

    public static readonly string[] SampleNames =
    [
        "v4-tcp-syn", "v4-tcp-tls", "v4-tcp-ack", "v4-udp-dns", "v4-udp-empty", "v4-icmp-echo",
        "v6-tcp-syn", "v6-udp-echo", "v6-icmpv6-echo",
        "v4-in-v4-icmp", "v4-in-v4-tcp", "v4-in-v4-udp", "v6-in-v4-udp", "v4-in-v6-tcp", "v6-in-v6-icmpv6",
    ];
}
