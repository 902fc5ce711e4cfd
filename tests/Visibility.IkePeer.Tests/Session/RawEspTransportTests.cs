using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Tests.Session;

public sealed class RawEspTransportTests
{
    /// <summary>What an IPv4 raw socket of protocol 50 delivers: the IP header, then ESP (SPI, Sequence Number, 4 octets).</summary>
    private static byte[] Sample() => TestHex.Parse(
        "45 00 00 24 12 34 40 00 40 32 00 00"         // 0: v4, IHL 5, Total Length 36, ID, DF, TTL 64, Protocol 50, checksum
        + " c0 00 02 01 c6 33 64 02"                   // 12: 192.0.2.1 -> 198.51.100.2
        + " 5e 5e 00 01 00 00 00 07"                   // 20: SPI 0x5e5e0001, Sequence Number 7
        + " de ad be ef 01 02 02 04");                 // 28: payload

    [Fact]
    [Trait("rfc", "4303-2")]
    public void TryReadIpv4_EspPacket_AddressesAndPayloadAfterTheHeader()
    {
        Assert.True(RawEspTransport.TryReadIpv4(Sample(), RawEspTransport.EspProtocol, out var source, out var destination, out var offset, out var length));

        Assert.Equal(IPAddress.Parse("192.0.2.1"), source);
        Assert.Equal(IPAddress.Parse("198.51.100.2"), destination);
        Assert.Equal(20, offset);
        Assert.Equal(16, length);
    }

    [Fact]
    public void TryReadIpv4_OptionsInHeader_PayloadAfterThem()
    {
        byte[] packet = [.. Sample()[..20], 1, 1, 1, 0, .. Sample()[20..]];   // IHL 6: one NOP NOP NOP EOL option word
        packet[0] = 0x46;
        packet[3] = 40;

        Assert.True(RawEspTransport.TryReadIpv4(packet, RawEspTransport.EspProtocol, out _, out _, out var offset, out var length));
        Assert.Equal(24, offset);
        Assert.Equal(16, length);
    }

    [Fact]
    public void TryReadIpv4_TrailingOctetsBeyondTotalLength_NotPartOfThePayload()
    {
        byte[] packet = [.. Sample(), 0, 0, 0, 0];

        Assert.True(RawEspTransport.TryReadIpv4(packet, RawEspTransport.EspProtocol, out _, out _, out _, out var length));
        Assert.Equal(16, length);
    }

    [Theory]
    [InlineData(0, 0x65)]      // version 6
    [InlineData(0, 0x44)]      // IHL 4 (< 20 octets)
    [InlineData(0, 0x4f)]      // IHL 15: 60 octets, more than there is
    [InlineData(9, 17)]        // UDP, not ESP
    [InlineData(6, 0x20)]      // More Fragments
    [InlineData(7, 0x01)]      // Fragment Offset 1
    [InlineData(3, 0x25)]      // Total Length 37 > 36 received
    [InlineData(3, 0x10)]      // Total Length 16 < IHL
    public void TryReadIpv4_BadHeaderField_False(int offset, byte value)
    {
        var packet = Sample();
        packet[offset] = value;

        Assert.False(RawEspTransport.TryReadIpv4(packet, RawEspTransport.EspProtocol, out _, out _, out _, out _));
    }

    [Fact]
    public void TryReadIpv4_WespSocketGetsEsp_False() =>
        Assert.False(RawEspTransport.TryReadIpv4(Sample(), RawEspTransport.WespProtocol, out _, out _, out _, out _));

    [Fact]
    public void TryReadIpv4_EveryPrefix_NoThrowFalseUntilTotalLength()
    {
        var sample = Sample();
        for (var length = 0; length < sample.Length; length++)
        {
            Assert.False(RawEspTransport.TryReadIpv4(sample.AsSpan(0, length), RawEspTransport.EspProtocol, out _, out _, out _, out _), $"prefix {length}");
        }

        Assert.True(RawEspTransport.TryReadIpv4(sample, RawEspTransport.EspProtocol, out _, out _, out _, out _));
    }

    [FsCheck.Xunit.Property(MaxTest = 1000)]
    public Property TryReadIpv4_RandomBytes_NoThrowPayloadInsideThePacket() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(v => (byte)v))), Arb.From(Gen.Elements(RawEspTransport.EspProtocol, RawEspTransport.WespProtocol)), (data, protocol) =>
        {
            if (!RawEspTransport.TryReadIpv4(data, protocol, out _, out _, out var offset, out var length))
            {
                return true;
            }

            return offset >= 20 && length >= 0 && offset + length <= data.Length && data[9] == protocol;
        });
}
