using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class LinuxSll2HeaderTests
{
    [Fact]
    public void TryRead_Header_ExposesFields()
    {
        byte[] bytes = Hex.Parse(
            "08 00 00 00" +               // 0  protocol IPv4, reserved
            "00 00 00 07" +               // 4  interface index 7
            "03 04 04 06" +               // 8  ARPHRD_LOOPBACK (772), packet type 4 (outgoing), address length 6
            "00 00 00 00 00 00 00 00");   // 12 address

        Assert.True(LinuxSll2Header.TryRead(bytes, out LinuxSll2Header sll));
        Assert.Equal(0x0800, sll.ProtocolType);
        Assert.Equal(7u, sll.InterfaceIndex);
        Assert.Equal(772, sll.ArphrdType);
        Assert.Equal(4, sll.PacketType);
        Assert.False(LinuxSll2Header.TryRead(bytes[..19], out _));
    }
}
