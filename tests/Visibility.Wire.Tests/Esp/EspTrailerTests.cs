using FsCheck.Xunit;
using Visibility.Wire.Esp;

namespace Visibility.Wire.Tests.Esp;

public sealed class EspTrailerTests
{
    // SPI 0x00001000, Seq 1, payload "ABCDEF" (6), padding 01 02 03 04, Pad Length 4, Next Header 6 (TCP), ICV 12 x 0xCC.
    private static readonly byte[] s_packet =
    [
        0x00, 0x00, 0x10, 0x00, // 0  SPI
        0x00, 0x00, 0x00, 0x01, // 4  Sequence Number
        0x41, 0x42, 0x43, 0x44, 0x45, 0x46, // 8 payload
        0x01, 0x02, 0x03, 0x04, // 14 padding (RFC 5879 §8.2 example: 01 02 03 04 04)
        0x04, // 18 Pad Length
        0x06, // 19 Next Header
        0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, // 20 ICV
    ];

    [Fact]
    [Trait("rfc", "4303-2")]
    public void TryRead_KnownLayout_ReadsEveryField()
    {
        Assert.True(EspTrailer.TryRead(s_packet, icvLength: 12, ivLength: 0, out EspTrailer trailer));

        Assert.Equal(6, trailer.NextHeader);
        Assert.Equal(4, trailer.PadLength);
        Assert.Equal(20, trailer.IcvOffset);
        Assert.Equal(14, trailer.PaddingOffset);
        Assert.Equal(8, trailer.PayloadOffset);
        Assert.Equal(6, trailer.PayloadLength);
        Assert.Equal("ABCDEF"u8.ToArray(), trailer.Payload.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, trailer.Padding.ToArray());
        Assert.Equal(12, trailer.Icv.Length);
        Assert.True(trailer.HasDefaultPadding);
        Assert.False(trailer.IsDummy);
    }

    [Fact]
    [Trait("rfc", "4303-2.3")]
    public void TryRead_WithIv_PayloadStartsAfterIt()
    {
        Assert.True(EspTrailer.TryRead(s_packet, icvLength: 12, ivLength: 4, out EspTrailer trailer));

        Assert.Equal(12, trailer.PayloadOffset);
        Assert.Equal("EF"u8.ToArray(), trailer.Payload.ToArray());
    }

    [Theory]
    [InlineData(32, 0)] // ICV would reach into the header
    [InlineData(22, 0)] // Pad Length + Next Header would overlap the Sequence Number
    [InlineData(12, 8)] // padding would reach into the IV
    [InlineData(-1, 0)]
    [InlineData(12, -1)]
    [InlineData(12, int.MaxValue)]
    [InlineData(int.MaxValue, 0)]
    [InlineData(int.MinValue, int.MinValue)]
    [Trait("rfc", "5879-8.2")]
    public void TryRead_LayoutOutsideThePacket_Fails(int icvLength, int ivLength)
    {
        Assert.False(EspTrailer.TryRead(s_packet, icvLength, ivLength, out _));
    }

    [Fact]
    public void TryRead_PadLengthLargerThanPayload_Fails()
    {
        byte[] packet = (byte[])s_packet.Clone();
        packet[18] = 11; // 11 octets of padding would reach the Sequence Number

        Assert.False(EspTrailer.TryRead(packet, 12, 0, out _));
    }

    [Fact]
    public void TryRead_PadLengthFillingThePayload_Succeeds()
    {
        byte[] packet = (byte[])s_packet.Clone();
        packet[18] = 10; // everything between the header and Pad Length is padding

        Assert.True(EspTrailer.TryRead(packet, 12, 0, out EspTrailer trailer));
        Assert.Equal(0, trailer.PayloadLength);
        Assert.False(trailer.HasDefaultPadding);
    }

    [Theory]
    [InlineData(new byte[] { }, true)]
    [InlineData(new byte[] { 1 }, true)]
    [InlineData(new byte[] { 1, 2, 3, 4 }, true)]
    [InlineData(new byte[] { 0 }, false)]
    [InlineData(new byte[] { 1, 3 }, false)]
    [InlineData(new byte[] { 2, 3, 4 }, false)]
    [Trait("rfc", "4303-2.4")]
    public void IsDefaultPadding_OneTwoThree(byte[] padding, bool expected)
    {
        Assert.Equal(expected, EspTrailer.IsDefaultPadding(padding));
    }

    [Fact]
    [Trait("rfc", "4303-2.4")]
    public void IsDefaultPadding_All255Octets()
    {
        byte[] padding = [.. Enumerable.Range(1, 255).Select(i => (byte)i)];

        Assert.True(EspTrailer.IsDefaultPadding(padding));
        padding[254] = 0;
        Assert.False(EspTrailer.IsDefaultPadding(padding));
    }

    [Fact]
    [Trait("rfc", "4303-2.6")]
    public void IsDummy_NextHeader59()
    {
        byte[] packet = (byte[])s_packet.Clone();
        packet[19] = 59;

        Assert.True(EspTrailer.TryRead(packet, 12, 0, out EspTrailer trailer));
        Assert.True(trailer.IsDummy);
    }

    [Fact]
    public void TryRead_EveryPrefixAndLayout_NeverThrows()
    {
        for (int length = 0; length <= s_packet.Length; length++)
        {
            for (int icv = 0; icv <= 40; icv += 4)
            {
                if (EspTrailer.TryRead(s_packet.AsSpan(0, length), icv, 0, out EspTrailer trailer))
                {
                    Assert.Equal(length, trailer.PayloadOffset + trailer.PayloadLength + trailer.PadLength + 2 + icv);
                }
            }
        }
    }

    [Property(MaxTest = 500)]
    public void TryRead_RandomBytes_NeverThrowsAndSlicesStayInside(byte[] packet, int icvLength, int ivLength)
    {
        packet ??= [];
        if (EspTrailer.TryRead(packet, icvLength, ivLength, out EspTrailer trailer))
        {
            Assert.InRange(trailer.PayloadOffset, 8, packet.Length);
            Assert.Equal(packet.Length, trailer.PayloadOffset + trailer.Payload.Length + trailer.Padding.Length + 2 + trailer.Icv.Length);
            _ = trailer.HasDefaultPadding;
        }
    }
}
