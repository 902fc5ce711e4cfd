using System.Net;
using Visibility.IkePeer.Esp;

namespace Visibility.IkePeer.Tests.Esp;

public sealed class IcmpEchoTests
{
    [Fact]
    [Trait("rfc", "792")]
    public void ToPacket_V4Request_ValidChecksumsAndParsesBack()
    {
        var echo = new IcmpEcho(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.2.0.1"), true, 7, 3, [1, 2, 3, 4, 5]);
        var packet = echo.ToPacket();

        Assert.Equal(0x45, packet[0]);
        Assert.Equal(1, packet[9]);
        Assert.Equal(0, IcmpEcho.Checksum(0, packet.AsSpan(0, 20)));   // header checksum verifies to 0
        Assert.Equal(0, IcmpEcho.Checksum(0, packet.AsSpan(20)));      // ICMP checksum verifies to 0
        Assert.True(IcmpEcho.TryParse(packet, out var back));
        Assert.Equal(echo.Data, back!.Data);
        Assert.Equal((echo.Source, echo.Destination, echo.IsRequest, echo.Identifier, echo.Sequence), (back.Source, back.Destination, back.IsRequest, back.Identifier, back.Sequence));
        Assert.Equal(4, echo.TunnelNextHeader);
    }

    [Fact]
    [Trait("rfc", "4443-4.2")]
    public void ToPacket_V6Reply_ParsesBackAsReply()
    {
        var request = new IcmpEcho(IPAddress.Parse("2001:db8::1"), IPAddress.Parse("2001:db8:1::1"), true, 1, 9, [9, 9]);
        var reply = request.Reply();
        var packet = reply.ToPacket();

        Assert.Equal(0x60, packet[0]);
        Assert.Equal(58, packet[6]);
        Assert.Equal(129, packet[40]);
        Assert.True(IcmpEcho.TryParse(packet, out var back));
        Assert.False(back!.IsRequest);
        Assert.Equal(request.Destination, back.Source);
        Assert.Equal(41, reply.TunnelNextHeader);
    }

    [Fact]
    public void TryParse_EveryPrefixAndNonIcmp_False()
    {
        var packet = new IcmpEcho(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.2.0.1"), true, 7, 3, [1, 2, 3]).ToPacket();
        for (var length = 0; length < packet.Length; length++)
        {
            Assert.False(IcmpEcho.TryParse(packet.AsSpan(0, length), out _));
        }

        packet[9] = 17;
        Assert.False(IcmpEcho.TryParse(packet, out _));
    }
}
