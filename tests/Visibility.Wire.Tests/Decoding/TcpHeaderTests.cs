using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class TcpHeaderTests
{
    [Fact]
    [Trait("rfc", "9293-3.1")]
    public void TryRead_Header_ExposesEveryField()
    {
        byte[] bytes = Hex.Parse(
            "c0 01 00 50" +      // 0  ports 49153 -> 80
            "00 00 00 64" +      // 4  sequence 100
            "00 00 00 c8" +      // 8  acknowledgment 200
            "60 12 72 10" +      // 12 data offset 6 (24 octets), SYN ACK, window 29200
            "ab cd 00 07");      // 16 checksum, urgent pointer 7

        Assert.True(TcpHeader.TryRead(bytes, out TcpHeader tcp));
        Assert.Equal(49153, tcp.SourcePort);
        Assert.Equal(80, tcp.DestinationPort);
        Assert.Equal(100u, tcp.SequenceNumber);
        Assert.Equal(200u, tcp.AcknowledgmentNumber);
        Assert.Equal(24, tcp.DataOffset);
        Assert.Equal(0x12, tcp.Flags);
        Assert.Equal(29200, tcp.Window);
        Assert.Equal(0xabcd, tcp.Checksum);
        Assert.Equal(7, tcp.UrgentPointer);
    }

    [Fact]
    public void TryRead_NineteenOctets_Fails()
    {
        Assert.False(TcpHeader.TryRead(new byte[19], out _));
    }
}
