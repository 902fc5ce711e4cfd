using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Visibility.IkePeer.Esp;

namespace Visibility.IkePeer.Export;

/// <summary>Writes the UDP payloads a peer sends and receives as a classic pcap file of raw IP packets (link type 101),
/// and the plain ESP and WESP packets of its raw sockets (<see cref="RecordIp"/>).</summary>
/// <remarks>
/// Each payload becomes IPv4 (20-octet header, checksum set) or IPv6 (40 octets) + UDP (8 octets) with the real
/// addresses and ports, timestamped when it passed the socket. The IPv4 UDP checksum is 0, as RFC 3948 §2.1 allows for
/// UDP-encapsulated ESP; IPv6 carries a computed one. Ports can be written as the standard ones
/// (<see cref="MapPort"/>): engines that had to bind other ports still give a capture on 500 and 4500, where decoders
/// look for IKE.
/// </remarks>
internal sealed class PcapRecorder : IDisposable
{
    public const uint LinkTypeRaw = 101;

    private const byte UdpProtocol = 17;

    private readonly Stream _stream;
    private readonly Lock _gate = new();
    private readonly Dictionary<(IPAddress Address, int Port), int> _ports = [];
    private ushort _ipId;

    public PcapRecorder(string path)
    {
        _stream = File.Create(path);
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), LinkTypeRaw);
        _stream.Write(header);
    }

    public int Packets { get; private set; }

    public static byte[] BuildPacket(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload, ushort ipId)
    {
        var udpLength = 8 + payload.Length;
        var udp = new byte[udpLength];
        WriteUdp(udp, source.Port, destination.Port, payload);
        var packet = BuildIpPacket(source.Address, destination.Address, UdpProtocol, udp, ipId);
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            return packet;
        }

        var pseudo = new byte[40 + udpLength];
        packet.AsSpan(8, 32).CopyTo(pseudo);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)udpLength);
        pseudo[39] = UdpProtocol;
        packet.AsSpan(40).CopyTo(pseudo.AsSpan(40));
        var checksum = IcmpEcho.Checksum(0, pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(46), checksum == 0 ? (ushort)0xFFFF : checksum);
        return packet;
    }

    /// <summary>An IPv4 (20-octet header, checksum set) or IPv6 (40 octets, no extension headers) packet of
    /// <paramref name="protocol"/> around <paramref name="payload"/>: plain ESP (50) and WESP (141) as they went through
    /// raw sockets.</summary>
    public static byte[] BuildIpPacket(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> payload, ushort ipId)
    {
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            var packet = new byte[20 + payload.Length];
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), ipId);
            packet[6] = 0x40;
            packet[8] = 64;
            packet[9] = protocol;
            source.GetAddressBytes().CopyTo(packet, 12);
            destination.GetAddressBytes().CopyTo(packet, 16);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), IcmpEcho.Checksum(0, packet.AsSpan(0, 20)));
            payload.CopyTo(packet.AsSpan(20));
            return packet;
        }

        var v6 = new byte[40 + payload.Length];
        v6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(4), (ushort)payload.Length);
        v6[6] = protocol;
        v6[7] = 64;
        source.GetAddressBytes().CopyTo(v6, 8);
        destination.GetAddressBytes().CopyTo(v6, 24);
        payload.CopyTo(v6.AsSpan(40));
        return v6;
    }

    /// <summary>Writes <paramref name="actual"/> of <paramref name="address"/> as <paramref name="recorded"/>.</summary>
    public void MapPort(IPAddress address, int actual, int recorded)
    {
        lock (_gate)
        {
            _ports[(address, actual)] = recorded;
        }
    }

    public void Record(IPEndPoint source, IPEndPoint destination, byte[] payload)
    {
        lock (_gate)
        {
            Write(BuildPacket(Mapped(source), Mapped(destination), payload, _ipId++));
        }
    }

    /// <summary>Records a payload that went as its own IP protocol (ESP 50, WESP 141) rather than over UDP.</summary>
    public void RecordIp(IPAddress source, IPAddress destination, byte protocol, byte[] payload)
    {
        lock (_gate)
        {
            Write(BuildIpPacket(source, destination, protocol, payload, _ipId++));
        }
    }

    private IPEndPoint Mapped(IPEndPoint endpoint) =>
        _ports.TryGetValue((endpoint.Address, endpoint.Port), out var port) ? new IPEndPoint(endpoint.Address, port) : endpoint;

    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Dispose();
        }
    }

    /// <summary>One record, timestamped now (called under the lock).</summary>
    private void Write(byte[] packet)
    {
        var now = DateTimeOffset.UtcNow;
        var record = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)now.ToUnixTimeSeconds());
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(now.ToUnixTimeMilliseconds() % 1000 * 1000 + now.Ticks / 10 % 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)packet.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)packet.Length);
        _stream.Write(record);
        _stream.Write(packet);
        Packets++;
    }

    private static void WriteUdp(Span<byte> udp, int sourcePort, int destinationPort, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
    }
}
