using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class LinuxSllHeaderTests
{
    [Fact]
    public void TryRead_Header_ExposesFields()
    {
        byte[] bytes = Hex.Parse("00 04 02 00 00 06 02 00 00 00 00 01 00 00 86 dd"); // outgoing, ARPHRD 512, IPv6

        Assert.True(LinuxSllHeader.TryRead(bytes, out LinuxSllHeader sll));
        Assert.Equal(4, sll.PacketType);
        Assert.Equal(0x0200, sll.ArphrdType);
        Assert.Equal(0x86dd, sll.ProtocolType);
        Assert.False(LinuxSllHeader.TryRead(bytes[..15], out _));
    }
}
