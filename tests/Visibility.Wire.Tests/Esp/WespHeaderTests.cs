using FsCheck.Xunit;
using Visibility.Wire.Esp;

namespace Visibility.Wire.Tests.Esp;

/// <summary>WESP (RFC 5840) packets written out by hand from §2, Figure 2, and the rules under it.</summary>
public sealed class WespHeaderTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));

    /// <summary>Native IPv4, integrity-only, no IV, 12-octet ICV, 20-octet payload (48 octets).</summary>
    private static readonly byte[] s_ipv4 = Hex(
        "06 0c 0c 00" + // 0  Next Header 6, HdrLen 12, TrailerLen 12, Flags 0 (V=0 E=0 P=0)
        "00 00 10 00" + // 4  ESP SPI 0x00001000
        "00 00 00 01" + // 8  Sequence Number 1
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + // 12 payload (20)
        "01 02 02 06" + // 32 padding 01 02, Pad Length 2, Next Header 6
        "cccccccccccccccccccccccc"); // 36 ICV (12)

    /// <summary>Native IPv6 (P = 1), integrity-only, no IV, 16-octet ICV, 12-octet payload (48 octets).</summary>
    private static readonly byte[] s_ipv6 = Hex(
        "11 10 10 10" + // 0  Next Header 17, HdrLen 16, TrailerLen 16, Flags 0x10 (P)
        "00 00 00 00" + // 4  padding word
        "00 00 20 00 00 00 00 02" + // 8  SPI 0x00002000, Sequence Number 2
        "bbbbbbbbbbbbbbbbbbbbbbbb" + // 16 payload (12)
        "01 02 02 11" + // 28 padding 01 02, Pad Length 2, Next Header 17
        "cccccccccccccccccccccccccccccccc"); // 32 ICV (16)

    /// <summary>Native IPv4, ENCR_NULL_AUTH_AES_GMAC: 8-octet IV, 16-octet ICV, HdrLen 4 + 8 + 8 = 20 (48 octets).</summary>
    private static readonly byte[] s_gmac = Hex(
        "01 14 10 00" + // 0  Next Header 1, HdrLen 20, TrailerLen 16, Flags 0
        "00 00 30 00 00 00 00 03" + // 4  SPI 0x00003000, Sequence Number 3
        "dddddddddddddddd" + // 12 IV (8)
        "eeeeeeeeeeeeeeee" + // 20 payload (8)
        "01 02 02 01" + // 28 padding 01 02, Pad Length 2, Next Header 1
        "cccccccccccccccccccccccccccccccc"); // 32 ICV (16)

    /// <summary>Native IPv4, encrypted: Next Header, HdrLen and TrailerLen are zero (36 octets).</summary>
    private static readonly byte[] s_encrypted = Hex(
        "00 00 00 20" + // 0  Flags 0x20 (E)
        "00 00 40 00 00 00 00 04" + // 4  SPI 0x00004000, Sequence Number 4
        "0123456789abcdef0123456789abcdef01234567"); // 12 ciphertext and ICV

    public static TheoryData<byte[]> Samples() => [s_ipv4, s_ipv6, s_gmac, s_encrypted];

    [Fact]
    [Trait("rfc", "5840-2")]
    public void TryRead_IPv4IntegrityOnly_EveryField()
    {
        Assert.True(WespHeader.TryRead(s_ipv4, ipv6: false, out WespHeader header, out DecodeAnomaly anomaly));

        Assert.Equal(DecodeAnomaly.None, anomaly);
        Assert.Equal(6, header.NextHeader);
        Assert.Equal(12, header.HdrLen);
        Assert.Equal(12, header.TrailerLen);
        Assert.Equal(0x00, header.Flags);
        Assert.Equal(0, header.Version);
        Assert.False(header.Encrypted);
        Assert.False(header.PaddingPresent);
        Assert.Equal(0, header.Reserved);
        Assert.Equal(4, header.EspOffset);
        Assert.Equal(0x1000u, header.Spi);
        Assert.Equal(1u, header.SequenceNumber);
        Assert.Equal(44, header.Esp.Length);
        Assert.Equal(0, header.IvLength);
        Assert.True(header.HasTrailer);
        Assert.Equal(6, header.TrailerNextHeader);
        Assert.Equal(2, header.PadLength);
        Assert.Equal(12, header.CleartextOffset);
        Assert.Equal(20, header.CleartextLength);
        Assert.All(header.Cleartext.ToArray(), b => Assert.Equal(0xaa, b));
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void TryRead_IPv6WithPaddingWord_EspAfterEightOctets()
    {
        Assert.True(WespHeader.TryRead(s_ipv6, ipv6: true, out WespHeader header, out _));

        Assert.True(header.PaddingPresent);
        Assert.Equal(8, header.EspOffset);
        Assert.Equal(0x2000u, header.Spi);
        Assert.Equal(2u, header.SequenceNumber);
        Assert.Equal(0, header.IvLength);
        Assert.Equal(16, header.CleartextOffset);
        Assert.Equal(12, header.CleartextLength);
        Assert.Equal(17, header.TrailerNextHeader);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void TryRead_GmacHdrLen_CoversTheIv()
    {
        Assert.True(WespHeader.TryRead(s_gmac, ipv6: false, out WespHeader header, out _));

        Assert.Equal(8, header.IvLength);
        Assert.Equal(20, header.CleartextOffset);
        Assert.Equal(8, header.CleartextLength);
        Assert.Equal(16, header.TrailerLen);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void TryRead_Encrypted_NoCleartext()
    {
        Assert.True(WespHeader.TryRead(s_encrypted, ipv6: false, out WespHeader header, out DecodeAnomaly anomaly));

        Assert.Equal(DecodeAnomaly.None, anomaly);
        Assert.True(header.Encrypted);
        Assert.Equal(0x4000u, header.Spi);
        Assert.Equal(0, header.IvLength);
        Assert.False(header.HasTrailer);
        Assert.Equal(0, header.CleartextOffset);
        Assert.Equal(0, header.CleartextLength);
        Assert.True(header.Cleartext.IsEmpty);
    }

    [Theory]
    // P over the carrier (RFC 5840 §2, protocol-facts §2.5): native IPv4 P=0, native IPv6 P=1, UDP/IPv4 P=0, UDP/IPv6 either.
    [InlineData(false, false, false, true)]
    [InlineData(false, false, true, false)]
    [InlineData(false, true, false, true)]
    [InlineData(false, true, true, false)]
    [InlineData(true, false, true, true)]
    [InlineData(true, false, false, false)]
    [InlineData(true, true, false, true)]
    [InlineData(true, true, true, true)]
    [Trait("rfc", "5840-2.1")]
    public void TryRead_PaddingWordAgainstCarrier(bool ipv6, bool udp, bool padded, bool accepted)
    {
        byte[] packet = padded ? s_ipv6 : s_ipv4;

        bool read = WespHeader.TryRead(packet, ipv6, udp, out WespHeader header, out DecodeAnomaly anomaly);

        Assert.Equal(accepted, read);
        Assert.Equal(accepted ? DecodeAnomaly.None : DecodeAnomaly.WespBadPadding, anomaly);
        if (accepted)
        {
            Assert.Equal(padded ? 8 : 4, header.EspOffset);
        }
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void TryRead_ReservedBits_IgnoredButVisible()
    {
        byte[] packet = (byte[])s_ipv4.Clone();
        packet[3] = 0x0F;

        Assert.True(WespHeader.TryRead(packet, ipv6: false, out WespHeader header, out DecodeAnomaly anomaly));

        Assert.Equal(DecodeAnomaly.None, anomaly);
        Assert.Equal(0x0F, header.Reserved);
        Assert.Equal(0, header.Version);
    }

    [Theory]
    // Version (§2: must be 0; unknown versions dropped)
    [InlineData(false, 3, 0x40, DecodeAnomaly.WespBadVersion)]
    [InlineData(false, 3, 0x80, DecodeAnomaly.WespBadVersion)]
    [InlineData(false, 3, 0xE0, DecodeAnomaly.WespBadVersion)]
    // E = 1: Next Header, HdrLen, TrailerLen must be zero, checked in that order
    [InlineData(false, 3, 0x20, DecodeAnomaly.WespBadNextHeader)]
    // HdrLen (§2): not less than 12, a multiple of 4, within the packet
    [InlineData(false, 1, 0x08, DecodeAnomaly.WespBadHeaderLength)]
    [InlineData(false, 1, 0x00, DecodeAnomaly.WespBadHeaderLength)]
    [InlineData(false, 1, 0x0E, DecodeAnomaly.WespBadHeaderLength)]
    [InlineData(false, 1, 0x34, DecodeAnomaly.WespBadHeaderLength)]
    // TrailerLen: HdrLen + TrailerLen + Pad Length + Next Header must fit
    [InlineData(false, 2, 0x28, DecodeAnomaly.WespBadTrailerLength)]
    // The ESP trailer's Next Header must equal the WESP Next Header (§2, receiver check 1)
    [InlineData(false, 2, 0x10, DecodeAnomaly.WespBadNextHeader)]
    [InlineData(false, 0, 0x11, DecodeAnomaly.WespBadNextHeader)]
    [InlineData(false, 35, 0x11, DecodeAnomaly.WespBadNextHeader)]
    // Pad Length reaching back over HdrLen
    [InlineData(false, 34, 0x1E, DecodeAnomaly.EspBadTrailer)]
    // IPv6: HdrLen a multiple of 8, and past the padding word
    [InlineData(true, 1, 0x14, DecodeAnomaly.WespBadHeaderLength)]
    [InlineData(true, 1, 0x0C, DecodeAnomaly.WespBadHeaderLength)]
    [InlineData(true, 3, 0x00, DecodeAnomaly.WespBadPadding)]
    [Trait("rfc", "5840-2")]
    public void TryRead_OneFieldWrong_ItsAnomaly(bool ipv6, int offset, byte value, DecodeAnomaly expected)
    {
        byte[] packet = (byte[])(ipv6 ? s_ipv6 : s_ipv4).Clone();
        packet[offset] = value;

        Assert.False(WespHeader.TryRead(packet, ipv6, out _, out DecodeAnomaly anomaly));
        Assert.Equal(expected, anomaly);
    }

    [Theory]
    [InlineData(0, 0x06, DecodeAnomaly.WespBadNextHeader)]
    [InlineData(1, 0x0C, DecodeAnomaly.WespBadHeaderLength)]
    [InlineData(2, 0x0C, DecodeAnomaly.WespBadTrailerLength)]
    [Trait("rfc", "5840-2")]
    public void TryRead_EncryptedWithNonZeroField_ItsAnomaly(int offset, byte value, DecodeAnomaly expected)
    {
        byte[] packet = (byte[])s_encrypted.Clone();
        packet[offset] = value;

        Assert.False(WespHeader.TryRead(packet, ipv6: false, out _, out DecodeAnomaly anomaly));
        Assert.Equal(expected, anomaly);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(11)]
    public void TryRead_NoRoomForEspHeader_TooSmall(int length)
    {
        Assert.False(WespHeader.TryRead(s_ipv4.AsSpan(0, length), ipv6: false, out _, out DecodeAnomaly anomaly));
        Assert.Equal(DecodeAnomaly.WespPacketTooSmall, anomaly);
    }

    [Fact]
    public void TryRead_IPv6NoRoomAfterPaddingWord_TooSmall()
    {
        Assert.False(WespHeader.TryRead(s_ipv6.AsSpan(0, 15), ipv6: true, out _, out DecodeAnomaly anomaly));
        Assert.Equal(DecodeAnomaly.WespPacketTooSmall, anomaly);
    }

    [Fact]
    public void TryReadHeader_CutPacket_HeaderOnlyWithoutTrailer()
    {
        Assert.True(WespHeader.TryReadHeader(s_ipv4.AsSpan(0, 20), ipv6: false, udpEncapsulated: false, out WespHeader header, out _));

        Assert.False(header.HasTrailer);
        Assert.Equal(12, header.CleartextOffset);
        Assert.Equal(0, header.CleartextLength);
        Assert.Equal(0, header.TrailerNextHeader);
        Assert.Equal(0, header.PadLength);
        Assert.False(WespHeader.TryRead(s_ipv4.AsSpan(0, 20), ipv6: false, out _, out _));
    }

    [Theory]
    [InlineData(DecodeAnomaly.WespPacketTooSmall, "wesp.pkt_too_small")]
    [InlineData(DecodeAnomaly.WespBadVersion, "wesp.bad_version")]
    [InlineData(DecodeAnomaly.WespBadHeaderLength, "wesp.bad_hdr_len")]
    [InlineData(DecodeAnomaly.WespBadTrailerLength, "wesp.bad_trailer_len")]
    [InlineData(DecodeAnomaly.WespBadPadding, "wesp.bad_padding")]
    [InlineData(DecodeAnomaly.WespBadFlags, "wesp.bad_flags")]
    [InlineData(DecodeAnomaly.WespBadNextHeader, "wesp.bad_next_header")]
    [InlineData(DecodeAnomaly.WespPayloadMismatch, "wesp.payload_mismatch")]
    [InlineData(DecodeAnomaly.EspBadTrailer, "esp.bad_trailer")]
    public void Anomalies_HaveStableEventNames(DecodeAnomaly anomaly, string name)
    {
        Assert.Equal(name, DecodeAnomalyNames.EventName(anomaly));
        Assert.Equal(name[..name.IndexOf('.', StringComparison.Ordinal)], DecodeAnomalyNames.Layer(anomaly));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void TryRead_EveryPrefix_NeverThrows(byte[] sample)
    {
        for (int length = 0; length <= sample.Length; length++)
        {
            foreach (bool ipv6 in new[] { false, true })
            {
                foreach (bool udp in new[] { false, true })
                {
                    ReadOnlySpan<byte> prefix = sample.AsSpan(0, length);
                    WespHeader.TryRead(prefix, ipv6, udp, out WespHeader header, out _);
                    Touch(header);
                    WespHeader.TryReadHeader(prefix, ipv6, udp, out header, out _);
                    Touch(header);
                }
            }
        }
    }

    [Property(MaxTest = 1000)]
    public void TryRead_RandomBytes_NeverThrows(byte[] packet, bool ipv6, bool udp)
    {
        packet ??= [];
        if (WespHeader.TryRead(packet, ipv6, udp, out WespHeader header, out DecodeAnomaly anomaly))
        {
            Assert.Equal(DecodeAnomaly.None, anomaly);
            Assert.InRange(header.CleartextOffset + header.CleartextLength, 0, packet.Length);
        }
        Touch(header);
    }

    private static void Touch(WespHeader header)
    {
        _ = header.NextHeader + header.HdrLen + header.TrailerLen + header.Flags + header.Version + header.Reserved + header.EspOffset;
        _ = header.Spi + header.SequenceNumber;
        _ = header.IvLength + header.PadLength + header.TrailerNextHeader + header.CleartextLength;
        _ = header.Esp.Length + header.Cleartext.Length;
        _ = header.Encrypted || header.PaddingPresent || header.HasTrailer;
    }
}
