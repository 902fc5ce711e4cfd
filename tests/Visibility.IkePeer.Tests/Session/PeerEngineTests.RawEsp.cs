using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Session;
using Visibility.IkePeer.Tests.Interop;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>Plain ESP and WESP (IP protocols 50 and 141) through raw sockets, <see cref="EspTransport.Raw"/>.</summary>
public sealed partial class PeerEngineTests
{
    private static LoopbackPair RawPair(bool wesp = false, EspTransport responderTransport = EspTransport.Raw) => new(
        initiatorOptions: o => o with { EspTransport = EspTransport.Raw, Wesp = wesp },
        responderOptions: o => o with { EspTransport = responderTransport, Wesp = wesp });

    [RequiresRootTheory]
    [InlineData(false, RawEspTransport.EspProtocol)]
    [InlineData(true, RawEspTransport.WespProtocol)]
    [Trait("rfc", "7296-2.23")]
    public async Task RawEsp_NoNat_IkeStaysOn500AndPingsGoAsPlainIpProtocol(bool wesp, byte protocol)
    {
        var udp = new ConcurrentQueue<(IPEndPoint Source, IPEndPoint Destination)>();
        var ip = new ConcurrentQueue<(IPAddress Source, byte Protocol, byte[] Payload)>();
        using var pair = RawPair(wesp);
        pair.Initiator.Tap = (source, destination, _) => udp.Enqueue((source, destination));
        pair.Initiator.IpTap = (source, _, p, payload) => ip.Enqueue((source, p, payload));

        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.True(session.PlainEsp);
        Assert.False(session.NatTraversal);
        Assert.Equal(pair.Responder.IkePort, session.Remote.Port);
        var responderSession = pair.Responder.Sessions.Single();
        Assert.True(responderSession.PlainEsp);
        Assert.Equal(wesp, responderSession.Children.Single().Wesp);
        Assert.Contains(wesp ? "IP protocol 141" : "IP protocol 50", pair.InitiatorOutput.ToString(), StringComparison.Ordinal);

        Assert.Equal(3, await pair.Initiator.PingAsync(session, 3, LoopbackPair.Timeout));

        // Everything over UDP is IKE between the two IKE ports; the Child SA's packets are IP protocol 50 or 141.
        Assert.All(udp, d => Assert.Equal(pair.Responder.IkePort, d.Source.Port == pair.Initiator.IkePort ? d.Destination.Port : d.Source.Port));
        Assert.DoesNotContain(udp, d => d.Source.Port == pair.Initiator.NatTraversalPort || d.Destination.Port == pair.Initiator.NatTraversalPort);
        Assert.All(ip, p => Assert.Equal(protocol, p.Protocol));
        var child = session.Children.Single();
        Assert.Equal([1u, 2u, 3u], SequenceNumbers(ip.Select(p => p.Payload), wesp, child.Outbound.Spi));
        Assert.Equal([1u, 2u, 3u], SequenceNumbers(ip.Select(p => p.Payload), wesp, child.Inbound.Spi));
        // Both engines' raw sockets listen on 127.0.0.1: each sees the other's packets too, and drops them as not its SPIs.
        Assert.True(pair.Initiator.EspPacketsDropped.UnknownSpi >= 3, pair.Initiator.EspPacketsDropped.ToString());
        Assert.Equal(0, pair.Initiator.EspPacketsDropped.Rejected);
        if (wesp)
        {
            // IPv4 native WESP: no padding word, E = 0, HdrLen = 4 + 8 (RFC 5840 §2).
            Assert.All(ip, p => Assert.Equal((byte)0x00, p.Payload[3]));
            Assert.All(ip, p => Assert.Equal(12, p.Payload[1]));
        }
    }

    [RequiresRootFact]
    [Trait("rfc", "7296-2.23")]
    public async Task RawEsp_ResponderFakesNat_FallsBackToUdp4500AndSaysSo()
    {
        var udpEsp = 0;
        using var pair = RawPair(responderTransport: EspTransport.Udp);
        pair.Initiator.Tap = (source, destination, _) =>
        {
            if (destination.Port == pair.Responder.NatTraversalPort)
            {
                Interlocked.Increment(ref udpEsp);
            }
        };
        var ip = 0;
        pair.Initiator.IpTap = (_, _, _, _) => Interlocked.Increment(ref ip);

        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.False(session.PlainEsp);
        Assert.True(session.NatTraversal);
        Assert.Contains("NAT detected", pair.InitiatorOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains("UDP-encapsulated on port", pair.InitiatorOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
        Assert.True(udpEsp >= 2);
        Assert.Equal(0, ip);
    }

    [RequiresRootFact]
    [Trait("rfc", "4303-3.4.3")]
    public async Task RawEsp_ForeignMalformedReplayedAndUdpPackets_CountedAndDropped()
    {
        using var pair = RawPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var child = session.Children.Single();
        var echo = new IcmpEcho(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.2.0.1"), true, 0x7777, 1, new byte[8]);
        var esp = child.Outbound.Encapsulate(echo.ToPacket(), echo.TunnelNextHeader);
        var remote = new IPEndPoint(IPAddress.Loopback, 0);
        Datagram Raw(byte[] data, DatagramKind kind = DatagramKind.Esp) => new(kind, data, remote, remote, NatTraversal: false) { RawIp = true };
        var before = pair.Responder.EspPacketsDropped;
        var innerBefore = pair.Responder.InnerPacketsReceived;

        byte[] foreign = [.. esp];
        foreign[0] ^= 0x80;                                                  // an SPI the responder does not own
        pair.Responder.Receive(Raw(foreign));
        pair.Responder.Receive(Raw([0x5e, 0x5e, 0x00]));                     // shorter than SPI + Sequence Number
        pair.Responder.Receive(Raw([0x40, 0x00, 0x00, 0x00], DatagramKind.Wesp));   // WESP version 1
        pair.Responder.Receive(new Datagram(DatagramKind.Esp, esp, remote, remote, NatTraversal: true));   // UDP-encapsulated on a raw Child SA
        pair.Responder.Receive(Raw(esp));                                    // the real one: delivered
        pair.Responder.Receive(Raw(esp));                                    // replayed: outside the window
        byte[] forged = [.. esp];
        forged[^1] ^= 1;                                                     // ICV broken
        pair.Responder.Receive(Raw(forged));

        var after = pair.Responder.EspPacketsDropped;
        Assert.Equal(1, after.UnknownSpi - before.UnknownSpi);
        Assert.Equal(2, after.Malformed - before.Malformed);
        Assert.Equal(3, after.Rejected - before.Rejected);
        Assert.Equal(innerBefore + 1, pair.Responder.InnerPacketsReceived);
    }

    [RequiresRootFact]
    [Trait("rfc", "7296-2.8")]
    public async Task RawEsp_ChildThenIkeRekeyed_NewSasStayPlainEsp()
    {
        var ip = new ConcurrentQueue<byte>();
        using var pair = RawPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        await pair.Initiator.RekeyChildAsync(session, LoopbackPair.Timeout);
        var rekeyed = await pair.Initiator.RekeyIkeAsync(session, LoopbackPair.Timeout);
        pair.Initiator.IpTap = (_, _, protocol, _) => ip.Enqueue(protocol);

        Assert.True(rekeyed.PlainEsp);
        Assert.False(rekeyed.NatTraversal);
        Assert.True(pair.Responder.Sessions.Single(s => s.State == IkeSaState.Established).PlainEsp);
        Assert.Equal(2, await pair.Initiator.PingAsync(rekeyed, 2, LoopbackPair.Timeout));
        Assert.NotEmpty(ip);
        Assert.All(ip, protocol => Assert.Equal(RawEspTransport.EspProtocol, protocol));
    }

    [RequiresRootFact]
    public async Task RawEsp_RandomAndMutatedRawDatagrams_NeverThrowSaStillWorks()
    {
        using var pair = RawPair(wesp: true);
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var child = session.Children.Single();
        var echo = new IcmpEcho(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.2.0.1"), true, 0x7777, 1, new byte[8]);
        var real = WespWrapper.Wrap(child.Outbound, echo.TunnelNextHeader, child.Outbound.Encapsulate(echo.ToPacket(), echo.TunnelNextHeader));
        var remote = new IPEndPoint(IPAddress.Loopback, 0);
        var random = new Random(5840);
        for (var i = 0; i < 2000; i++)
        {
            var data = i % 2 == 0 ? new byte[random.Next(0, 200)] : [.. real];
            if (i % 2 == 0)
            {
                random.NextBytes(data);
            }
            else
            {
                data[random.Next(data.Length)] ^= (byte)random.Next(1, 256);
                data = data[..random.Next(data.Length + 1)];
            }

            var kind = random.Next(2) == 0 ? DatagramKind.Esp : DatagramKind.Wesp;
            pair.Responder.Receive(new Datagram(kind, data, remote, remote, NatTraversal: false) { RawIp = true });
        }

        Assert.Equal(0, pair.Responder.InnerPacketsReceived);
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
    }

    /// <summary>The distinct Sequence Numbers of the ESP packets of <paramref name="spi"/>, in order.</summary>
    private static uint[] SequenceNumbers(IEnumerable<byte[]> payloads, bool wesp, uint spi) =>
        [.. payloads.Where(p => p.Length >= (wesp ? 12 : 8) && BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(wesp ? 4 : 0)) == spi)
            .Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(wesp ? 8 : 4)))
            .Distinct().Order()];
}
