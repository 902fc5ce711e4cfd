using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>WESP (RFC 5840) Child SAs between two engines.</summary>
public sealed partial class PeerEngineTests
{
    [Theory]
    [InlineData("null-sha256", 0x00)]
    [InlineData("aes128gcm16", 0x20)]
    [InlineData("aes128gmac", 0x00)]
    [Trait("rfc", "5840-2.3")]
    public async Task Wesp_BothSidesAgree_TrafficWrappedInWespOverUdp(string esp, byte flags)
    {
        var sent = new ConcurrentQueue<byte[]>();
        using var pair = new LoopbackPair(initiatorEsp: esp, responderEsp: esp,
            initiatorOptions: o => o with { Wesp = true }, responderOptions: o => o with { Wesp = true });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.True(session.Children.Single().Wesp);
        Assert.True(pair.Responder.Sessions.Single().Children.Single().Wesp);
        pair.Initiator.Tap = (_, _, payload) => sent.Enqueue(payload);
        Assert.Equal(3, await pair.Initiator.PingAsync(session, 3, LoopbackPair.Timeout));

        var wesp = sent.Where(p => p.Length > 8 && BinaryPrimitives.ReadUInt32BigEndian(p) == 2).ToList();
        Assert.Equal(6, wesp.Count);                                           // 3 requests out, 3 replies in
        Assert.All(wesp, p => Assert.Equal(flags, p[4 + 3]));                  // WESP Flags after the 0x00000002 identifier
        var ivLength = esp.Contains("gmac", StringComparison.Ordinal) ? 8 : 0;
        Assert.All(wesp, p => Assert.Equal(flags == 0 ? 12 + ivLength : 0, p[4 + 1]));    // HdrLen: WESP 4 + ESP 8 + IV
        Assert.DoesNotContain(sent, p => p.Length > 8 && BinaryPrimitives.ReadUInt32BigEndian(p) > 255);   // no plain ESP
    }

    [Fact]
    [Trait("rfc", "5840-2.3")]
    public async Task Wesp_ResponderNotWilling_PlainEspChildSa()
    {
        using var pair = new LoopbackPair(initiatorOptions: o => o with { Wesp = true });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.False(session.Children.Single().Wesp);
        Assert.False(pair.Responder.Sessions.Single().Children.Single().Wesp);
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
    }

    [Fact]
    [Trait("rfc", "5840-2.3")]
    public async Task Wesp_ChildRekeyed_NewChildStaysWesp()
    {
        using var pair = new LoopbackPair(initiatorOptions: o => o with { Wesp = true }, responderOptions: o => o with { Wesp = true });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        var replacement = await pair.Initiator.RekeyChildAsync(session, LoopbackPair.Timeout);

        Assert.True(replacement.Wesp);
        Assert.True(pair.Responder.Sessions.Single().Children.Single().Wesp);
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
    }

    [Theory]
    [InlineData(-1, 0)]     // unchanged: answered
    [InlineData(1, 16)]     // HdrLen
    [InlineData(2, 8)]      // TrailerLen
    [InlineData(0, 41)]     // Next Header differs from the trailer's
    [Trait("rfc", "5840-2")]
    public async Task Wesp_HeaderDisagreesWithSa_ResponderDropsThePacket(int offset, byte value)
    {
        using var pair = new LoopbackPair(initiatorOptions: o => o with { Wesp = true }, responderOptions: o => o with { Wesp = true });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var child = session.Children.Single();
        var echo = new IcmpEcho(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.2.0.1"), true, 0x5650, 77, new byte[8]);
        var wesp = WespWrapper.Wrap(child.Outbound, echo.TunnelNextHeader, child.Outbound.Encapsulate(echo.ToPacket(), echo.TunnelNextHeader));
        if (offset >= 0)
        {
            wesp[offset] = value;
        }

        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] datagram = [0, 0, 0, 2, .. wesp];
        await client.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, pair.Responder.NatTraversalPort));
        await Task.Delay(500);

        Assert.Equal(offset < 0 ? 1 : 0, pair.Initiator.EchoRepliesReceived);
    }
}
