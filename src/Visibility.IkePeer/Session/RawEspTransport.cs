using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Visibility.IkePeer.Session;

/// <summary>Raw IP sockets for plain ESP (IP protocol 50, RFC 4303) and WESP (IP protocol 141, RFC 5840 §2): sends
/// Child SA packets without UDP encapsulation and hands received ones on as <see cref="Datagram"/>s.</summary>
/// <remarks>
/// An IPv4 raw socket delivers the IP header with the payload; an IPv6 one delivers the payload only, the source coming
/// from the socket and the destination taken as the address the socket is bound to (IPV6_PKTINFO is not used: an IPv6
/// raw socket cannot be made V6ONLY, and <see cref="Socket"/> then also asks for IP_PKTINFO, which Linux refuses
/// there). On send the kernel writes the IP header:
/// <code>
/// IPv4: | IPv4 header, Protocol 50 / 141 (IHL * 4) | ESP or WESP packet ... |
/// IPv6: | IPv6 header, Next Header 50 / 141 (40)  | ESP or WESP packet ... |
/// </code>
/// Every raw socket of the protocol sees every such packet reaching the host, so what arrives here is only a candidate:
/// the engine keeps the packets of SPIs it owns. Packets that are not even well-formed IP are counted in
/// <see cref="Malformed"/> and dropped here.
/// </remarks>
internal sealed class RawEspTransport : IDisposable
{
    /// <summary>IP protocol number of ESP (RFC 4303 §2, IANA).</summary>
    public const byte EspProtocol = 50;

    /// <summary>IP protocol number of WESP (RFC 5840 §2, IANA).</summary>
    public const byte WespProtocol = 141;

    private const int Ipv4MinimumHeaderLength = 20;

    private readonly List<(Socket Socket, byte Protocol)> _sockets;
    private long _malformed;

    private RawEspTransport(List<(Socket Socket, byte Protocol)> sockets)
    {
        _sockets = sockets;
    }

    /// <summary>Received packets that were not well-formed IP carrying ESP or WESP, dropped before any SPI lookup.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Sees every ESP or WESP packet sent or received: source, destination, IP protocol, payload (captures).</summary>
    public Action<IPAddress, IPAddress, byte, byte[]>? Tap { get; set; }

    /// <summary>Opens raw sockets for protocols 50 and 141: IPv4 and, where the system has it, IPv6; bound to
    /// <paramref name="address"/> when given (then of its family only). Throws <see cref="SocketException"/>
    /// (AccessDenied) without CAP_NET_RAW.</summary>
    public static RawEspTransport Open(IPAddress? address)
    {
        var sockets = new List<(Socket, byte)>();
        try
        {
            foreach (var protocol in new[] { EspProtocol, WespProtocol })
            {
                if (address is null || address.AddressFamily == AddressFamily.InterNetwork)
                {
                    sockets.Add((OpenSocket(AddressFamily.InterNetwork, protocol, address), protocol));
                }

                if ((address is null && Socket.OSSupportsIPv6) || address?.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    sockets.Add((OpenSocket(AddressFamily.InterNetworkV6, protocol, address), protocol));
                }
            }

            return new RawEspTransport(sockets);
        }
        catch
        {
            foreach (var (socket, _) in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Splits what an IPv4 raw socket delivered into its addresses and payload; false for anything but an
    /// unfragmented IPv4 packet of <paramref name="protocol"/> whose lengths agree.</summary>
    public static bool TryReadIpv4(ReadOnlySpan<byte> packet, byte protocol, out IPAddress source, out IPAddress destination, out int payloadOffset, out int payloadLength)
    {
        source = IPAddress.None;
        destination = IPAddress.None;
        payloadOffset = 0;
        payloadLength = 0;
        if (packet.Length < Ipv4MinimumHeaderLength || packet[0] >> 4 != 4)
        {
            return false;
        }

        var headerLength = (packet[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF;
        // Linux hands raw sockets reassembled datagrams; a fragment here is not ours to read.
        if (headerLength < Ipv4MinimumHeaderLength || headerLength > packet.Length || packet[9] != protocol || fragment != 0)
        {
            return false;
        }

        // Total Length 0 comes from segmentation offload on this host: the datagram is what was delivered.
        var end = totalLength == 0 ? packet.Length : totalLength;
        if (end < headerLength || end > packet.Length)
        {
            return false;
        }

        source = new IPAddress(packet.Slice(12, 4));
        destination = new IPAddress(packet.Slice(16, 4));
        payloadOffset = headerLength;
        payloadLength = end - headerLength;
        return true;
    }

    /// <summary>Sends an ESP (<see cref="EspProtocol"/>) or WESP (<see cref="WespProtocol"/>) packet to <paramref name="remote"/>;
    /// <paramref name="local"/> is only for the tap, the kernel picks the source.</summary>
    public void Send(ReadOnlySpan<byte> packet, byte protocol, IPAddress local, IPAddress remote)
    {
        foreach (var (socket, socketProtocol) in _sockets)
        {
            if (socketProtocol == protocol && socket.AddressFamily == remote.AddressFamily)
            {
                Tap?.Invoke(local, remote, protocol, packet.ToArray());
                socket.SendTo(packet, SocketFlags.None, new IPEndPoint(remote, 0));
                return;
            }
        }

        throw new SocketException((int)SocketError.AddressFamilyNotSupported);
    }

    /// <summary>Receives on every socket until cancelled, handing each candidate to <paramref name="handler"/> as a
    /// <see cref="DatagramKind.Esp"/> or <see cref="DatagramKind.Wesp"/> datagram with <see cref="Datagram.RawIp"/> set; a
    /// socket that can no longer receive is reported to <paramref name="stopped"/> with the reason.</summary>
    public Task RunAsync(Action<Datagram> handler, Action<string> stopped, CancellationToken cancellationToken) =>
        Task.WhenAll(_sockets.Select(s => ReceiveLoopAsync(s.Socket, s.Protocol, handler, stopped, cancellationToken)));

    public void Dispose()
    {
        foreach (var (socket, _) in _sockets)
        {
            socket.Dispose();
        }
    }

    private static Socket OpenSocket(AddressFamily family, byte protocol, IPAddress? address)
    {
        var socket = RawIpSocket.Open(family, protocol);
        try
        {
            // Bound also to the wildcard: Socket receives from an address only once it knows itself bound.
            socket.Bind(new IPEndPoint(address ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any), 0));

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private Task ReceiveLoopAsync(Socket socket, byte protocol, Action<Datagram> handler, Action<string> stopped, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        var ipv6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        var any = new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var kind = protocol == WespProtocol ? DatagramKind.Wesp : DatagramKind.Esp;
        return ReceiveLoop.RunAsync(
            async token =>
            {
                IPAddress source;
                IPAddress destination;
                byte[] payload;
                if (ipv6)
                {
                    var message = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
                    source = ((IPEndPoint)message.RemoteEndPoint).Address;
                    destination = ((IPEndPoint)socket.LocalEndPoint!).Address;
                    payload = buffer.AsSpan(0, message.ReceivedBytes).ToArray();
                }
                else
                {
                    var received = await socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                    if (!TryReadIpv4(buffer.AsSpan(0, received), protocol, out source, out destination, out var offset, out var length))
                    {
                        Interlocked.Increment(ref _malformed);
                        return;
                    }

                    payload = buffer.AsSpan(offset, length).ToArray();
                }

                Tap?.Invoke(source, destination, protocol, payload);
                handler(new Datagram(kind, payload, new IPEndPoint(source, 0), new IPEndPoint(destination, 0), NatTraversal: false) { RawIp = true });
            },
            e => stopped($"receiving IP protocol {protocol} ({(ipv6 ? "IPv6" : "IPv4")}) stopped: {e.Message}"),
            cancellationToken);
    }
}
