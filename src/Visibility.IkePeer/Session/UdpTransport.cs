using System.Net;
using System.Net.Sockets;

namespace Visibility.IkePeer.Session;

/// <summary>The two UDP sockets of an endpoint: IKE (500) and NAT traversal (4500), with RFC 3948 framing.</summary>
/// <remarks>
/// On the NAT-T port (RFC 3948 §2.1-§2.3): one octet 0xFF = NAT keepalive; four zero octets (the non-ESP marker) then an
/// IKE message; 00 00 00 02 then a WESP packet (RFC 5840 §2.1); otherwise ESP starting with its SPI. IKE on port 500 has no marker (RFC 7296 §3.1).
/// </remarks>
internal sealed class UdpTransport : IDisposable
{
    private const byte WespProtocolIdentifier = 2;

    private readonly Socket _ike;
    private readonly Socket _natt;
    private readonly bool _dualMode;

    private UdpTransport(Socket ike, Socket natt, bool dualMode)
    {
        _ike = ike;
        _natt = natt;
        _dualMode = dualMode;
    }

    public int IkePort => ((IPEndPoint)_ike.LocalEndPoint!).Port;

    public int NatTraversalPort => ((IPEndPoint)_natt.LocalEndPoint!).Port;

    /// <summary>Binds both sockets. A null <paramref name="address"/> binds every address (IPv4 and IPv6 when possible).
    /// When <paramref name="fallbackToEphemeral"/> is set, a port in use is replaced by any free one (initiators may send
    /// from any port, RFC 7296 §2.23).</summary>
    public static UdpTransport Bind(IPAddress? address, int ikePort, int natTraversalPort, bool fallbackToEphemeral)
    {
        var dualMode = address is null && Socket.OSSupportsIPv6;
        var bindAddress = address ?? (dualMode ? IPAddress.IPv6Any : IPAddress.Any);
        var ike = Open(bindAddress, ikePort, dualMode, fallbackToEphemeral);
        try
        {
            var natt = Open(bindAddress, natTraversalPort, dualMode, fallbackToEphemeral);
            return new UdpTransport(ike, natt, dualMode);
        }
        catch
        {
            ike.Dispose();
            throw;
        }
    }

    public static DatagramKind Classify(ReadOnlySpan<byte> payload, bool natTraversal)
    {
        if (!natTraversal)
        {
            return payload.Length >= 28 ? DatagramKind.Ike : DatagramKind.Invalid;
        }

        if (payload.Length == 1 && payload[0] == 0xFF)
        {
            return DatagramKind.NatKeepalive;
        }

        if (payload.Length < 4)
        {
            return DatagramKind.Invalid;
        }

        if (payload[0] == 0 && payload[1] == 0 && payload[2] == 0 && payload[3] == 0)
        {
            return payload.Length >= 4 + 28 ? DatagramKind.Ike : DatagramKind.Invalid;
        }

        if (payload[0] == 0 && payload[1] == 0 && payload[2] == 0 && payload[3] == WespProtocolIdentifier)
        {
            return payload.Length >= 4 + 4 + 8 ? DatagramKind.Wesp : DatagramKind.Invalid;
        }

        var spi = (uint)((payload[0] << 24) | (payload[1] << 16) | (payload[2] << 8) | payload[3]);
        return spi > 255 ? DatagramKind.Esp : DatagramKind.Invalid;
    }

    /// <summary>Sends an IKE message; on the NAT-T socket it is preceded by the non-ESP marker.</summary>
    public void SendIke(ReadOnlySpan<byte> message, IPEndPoint remote, bool natTraversal)
    {
        if (!natTraversal)
        {
            Tap?.Invoke((IPEndPoint)_ike.LocalEndPoint!, remote, message.ToArray());
            _ike.SendTo(message, SocketFlags.None, Map(remote));
            return;
        }

        var framed = new byte[4 + message.Length];
        message.CopyTo(framed.AsSpan(4));
        Tap?.Invoke((IPEndPoint)_natt.LocalEndPoint!, remote, framed);
        _natt.SendTo(framed, SocketFlags.None, Map(remote));
    }

    /// <summary>Sends a UDP-encapsulated ESP packet (RFC 3948 §2.1) from the NAT-T socket.</summary>
    public void SendEsp(ReadOnlySpan<byte> packet, IPEndPoint remote)
    {
        Tap?.Invoke((IPEndPoint)_natt.LocalEndPoint!, remote, packet.ToArray());
        _natt.SendTo(packet, SocketFlags.None, Map(remote));
    }

    /// <summary>Sends a WESP packet over UDP, after the Protocol Identifier 0x00000002 (RFC 5840 §2.1).</summary>
    public void SendWesp(ReadOnlySpan<byte> wesp, IPEndPoint remote)
    {
        var framed = new byte[4 + wesp.Length];
        framed[3] = WespProtocolIdentifier;
        wesp.CopyTo(framed.AsSpan(4));
        Tap?.Invoke((IPEndPoint)_natt.LocalEndPoint!, remote, framed);
        _natt.SendTo(framed, SocketFlags.None, Map(remote));
    }

    /// <summary>Sees every UDP payload sent or received: source, destination, payload (for captures).</summary>
    public Action<IPEndPoint, IPEndPoint, byte[]>? Tap { get; set; }

    /// <summary>Receives from both sockets until cancelled, handing each datagram to <paramref name="handler"/>; a
    /// socket that can no longer receive is reported to <paramref name="stopped"/> with the reason.</summary>
    public Task RunAsync(Action<Datagram> handler, Action<string> stopped, CancellationToken cancellationToken) =>
        Task.WhenAll(ReceiveLoopAsync(_ike, false, handler, stopped, cancellationToken), ReceiveLoopAsync(_natt, true, handler, stopped, cancellationToken));

    public void Dispose()
    {
        _ike.Dispose();
        _natt.Dispose();
    }

    private static Socket Open(IPAddress address, int port, bool dualMode, bool fallbackToEphemeral)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (dualMode)
            {
                socket.DualMode = true;
            }

            if (address.AddressFamily == AddressFamily.InterNetwork || dualMode)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            }

            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
            }

            try
            {
                socket.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException) when (fallbackToEphemeral && port != 0)
            {
                socket.Bind(new IPEndPoint(address, 0));
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private EndPoint Map(IPEndPoint remote) =>
        _dualMode && remote.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port) : remote;

    private Task ReceiveLoopAsync(Socket socket, bool natTraversal, Action<Datagram> handler, Action<string> stopped, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        var any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var localPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return ReceiveLoop.RunAsync(
            async token =>
            {
                var result = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
                var remote = (IPEndPoint)result.RemoteEndPoint;
                remote = new IPEndPoint(Unmap(remote.Address), remote.Port);
                var local = new IPEndPoint(Unmap(result.PacketInformation.Address), localPort);
                var payload = buffer.AsSpan(0, result.ReceivedBytes);
                var kind = Classify(payload, natTraversal);
                if (kind == DatagramKind.Invalid)
                {
                    return;
                }

                var data = kind is DatagramKind.Ike or DatagramKind.Wesp && natTraversal ? payload[4..].ToArray() : payload.ToArray();
                Tap?.Invoke(remote, local, payload.ToArray());
                handler(new Datagram(kind, data, remote, local, natTraversal));
            },
            e => stopped($"receiving on UDP port {localPort} stopped: {e.Message}"),
            cancellationToken);
    }
}
