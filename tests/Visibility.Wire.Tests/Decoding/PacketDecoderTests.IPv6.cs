namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    /// <summary>Ethernet + IPv6 2001:db8::1 -> 2001:db8::2 with the given Payload Length and Next Header (54 octets).</summary>
    private static string EthernetIPv6(string payloadLength, string nextHeader) =>
        DecoderSamples.EthernetToIPv6 +                                     // 0
        "60 00 00 00 " + payloadLength + " " + nextHeader + " 40" +         // 14 IPv6, hop limit 64
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" +                 // 22
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02";                  // 38

    private const string UdpToDns = "d9 03 00 35 00 0c 00 00 01 02 03 04";  // UDP 55555 -> 53, length 12
    private const string EspC003 = "00 00 c0 03 00 00 00 02 de ad be ef de ad be ef"; // SPI 0xc003, seq 2

    [Fact]
    [Trait("rfc", "8200-4.3")]
    public void Decode_IPv6HopByHop_IsWalkedToIcmpV6()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv6HopByHopIcmpV6);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(1, meta.Ttl);
        Assert.Equal(IPProtocol.IcmpV6, meta.Protocol);
        Assert.Equal(62, meta.TransportOffset);
        Assert.Equal(PayloadKind.IcmpV6, meta.Kind);
        Assert.Equal(143, meta.IcmpType);
        Assert.Equal(0, meta.IcmpCode);
        Assert.Equal(70, meta.PayloadOffset);
        Assert.Equal(0, meta.PayloadLength);
    }

    [Fact]
    [Trait("rfc", "8200-4.1")]
    public void Decode_IPv6DestinationOptionsAndRouting_AreWalkedToEsp()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 20", "3c") +        // 0  payload 32, Destination Options
            "2b 00 01 04 00 00 00 00" +          // 54 Destination Options: next Routing, 8 octets, PadN
            "32 00 00 00 00 00 00 00" +          // 62 Routing: next ESP, 8 octets, type 0, segments left 0
            EspC003);                            // 70 ESP

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(IPProtocol.Esp, meta.Protocol);
        Assert.Equal(70, meta.TransportOffset);
        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(EspEncapsulation.Esp, meta.Encapsulation);
        Assert.Equal(0xc003u, meta.Spi);
        Assert.Equal(70, meta.EspOffset);
        Assert.Equal(16, meta.EspLength);
    }

    [Fact]
    [Trait("rfc", "8200-4.6")]
    public void Decode_IPv6ExtensionHeaderLongerThan8_UsesHdrExtLen()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 1c", "3c") +                              // 0  payload 28, Destination Options
            "11 01 01 0c 00 00 00 00 00 00 00 00 00 00 00 00" +        // 54 next UDP, Hdr Ext Len 1 (16 octets), PadN 12
            UdpToDns);                                                 // 70

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(70, meta.TransportOffset);
        Assert.Equal(PayloadKind.Udp, meta.Kind);
        Assert.Equal(53, meta.DestinationPort);
    }

    [Fact]
    [Trait("rfc", "8200-4.5")]
    public void Decode_IPv6FirstFragment_DescribesFragmentAndStops()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 18", "2c") +        // 0  payload 24, Fragment
            "11 00 00 01 ca fe ba be" +          // 54 Fragment: next UDP, offset 0, M, id 0xcafebabe
            "11 94 11 94 05 dc 00 00 00 00 00 00 00 00 00 00"); // 62 first 16 octets of the UDP datagram

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.True(meta.IsFragment);
        Assert.True(meta.MoreFragments);
        Assert.Equal(0, meta.FragmentOffset);
        Assert.Equal(0xcafebabeu, meta.FragmentId);
        Assert.Equal(IPProtocol.Udp, meta.FragmentNextHeader);
        Assert.Equal(62, meta.FragmentPayloadOffset);
        Assert.Equal(IPProtocol.Fragment, meta.Protocol);
        Assert.Equal(0, meta.TransportOffset);
        Assert.Equal(PayloadKind.None, meta.Kind);
        Assert.Equal(0, meta.SourcePort);
    }

    [Fact]
    [Trait("rfc", "8200-4.5")]
    public void Decode_IPv6LastFragmentAfterHopByHop_ReportsOffsetsAfterBothHeaders()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 18", "00") +        // 0  payload 24, Hop-by-Hop
            "2c 00 01 04 00 00 00 00" +          // 54 Hop-by-Hop: next Fragment
            "32 00 05 c8 00 00 00 07" +          // 62 Fragment: next ESP, offset 1480, last, id 7
            "00 00 00 00 00 00 00 00");          // 70 fragment data

        Assert.True(meta.IsFragment);
        Assert.False(meta.MoreFragments);
        Assert.Equal(1480, meta.FragmentOffset);
        Assert.Equal(7u, meta.FragmentId);
        Assert.Equal(IPProtocol.Esp, meta.FragmentNextHeader);
        Assert.Equal(70, meta.FragmentPayloadOffset);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    [Trait("rfc", "6946-4")]
    public void Decode_IPv6AtomicFragment_IsDecodedAsAWholeDatagram()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 14", "2c") +        // 0  payload 20, Fragment
            "11 00 00 00 00 00 00 01" +          // 54 Fragment: next UDP, offset 0, M clear (atomic)
            UdpToDns);                           // 62

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.False(meta.IsFragment);
        Assert.Equal(IPProtocol.Udp, meta.Protocol);
        Assert.Equal(62, meta.TransportOffset);
        Assert.Equal(PayloadKind.Udp, meta.Kind);
    }

    [Fact]
    [Trait("rfc", "4302-2.2")]
    public void Decode_IPv6AhThenEsp_WalksAhIn32BitWords()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 28", "33") +                  // 0  payload 40, AH
            "32 04 00 00 00 00 a0 0a 00 00 00 01" +        // 54 AH: next ESP, payload len 4 -> 24 octets (not 40)
            "00 00 00 00 00 00 00 00 00 00 00 00" +        // 66 ICV
            EspC003);                                      // 78

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.True(meta.HasAh);
        Assert.Equal(78, meta.TransportOffset);
        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(0xc003u, meta.Spi);
    }

    [Fact]
    [Trait("rfc", "4302-3.1.1")]
    public void Decode_IPv6AhThenDestinationOptionsThenTcp_WalksBoth()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 34", "33") +                  // 0  payload 52, AH
            "3c 04 00 00 00 00 a0 0a 00 00 00 01" +        // 54 AH: next Destination Options, 24 octets
            "00 00 00 00 00 00 00 00 00 00 00 00" +        // 66 ICV
            "06 00 01 04 00 00 00 00" +                    // 78 Destination Options: next TCP
            "c0 01 00 16 00 00 00 01 00 00 00 00" +        // 86 TCP 49153 -> 22
            "50 02 ff ff 00 00 00 00");                    // 98 data offset 5, SYN

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.True(meta.HasAh);
        Assert.Equal(86, meta.TransportOffset);
        Assert.Equal(PayloadKind.Tcp, meta.Kind);
        Assert.Equal(22, meta.DestinationPort);
        Assert.Equal(0x02, meta.TcpFlags);
    }

    [Fact]
    [Trait("rfc", "8200-4.7")]
    public void Decode_IPv6NoNextHeader_IsOtherIPWithTheRestAsPayload()
    {
        PacketMeta meta = Decode(
            EthernetIPv6("00 0c", "3c") +        // 0  payload 12, Destination Options
            "3b 00 01 04 00 00 00 00" +          // 54 next: No Next Header (59)
            "ff ff ff ff");                      // 62 octets to ignore

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(IPProtocol.NoNextHeader, meta.Protocol);
        Assert.Equal(PayloadKind.OtherIP, meta.Kind);
        Assert.Equal(62, meta.PayloadOffset);
        Assert.Equal(4, meta.PayloadLength);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void Decode_IPv6Wesp_LocatesTheWespHeaderOnly()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv6Wesp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(IPProtocol.Wesp, meta.Protocol);
        Assert.Equal(PayloadKind.Wesp, meta.Kind);
        Assert.Equal(EspEncapsulation.Wesp, meta.Encapsulation);
        Assert.Equal(54, meta.WespOffset);
        Assert.Equal(54, meta.PayloadOffset);
        Assert.Equal(24, meta.PayloadLength);
        Assert.Equal(0u, meta.Spi);
        Assert.False(meta.HasPorts);
    }

    [Fact]
    public void Decode_IPv6FewerThan40Octets_RaisesPacketTooSmall()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv6Udp[..53]);

        Assert.Equal(DecodeAnomaly.IPv6PacketTooSmall, meta.Anomaly);
        Assert.Equal(0, meta.IPVersion);
    }

    [Fact]
    public void Decode_IPv6VersionNot6_RaisesWrongVersion()
    {
        byte[] frame = DecoderSamples.EthernetIPv6Udp.ToArray();
        frame[14] = 0x70;
        Assert.Equal(DecodeAnomaly.IPv6WrongVersion, Decode(frame).Anomaly);
    }

    [Fact]
    public void Decode_IPv6PayloadLengthBeyondCompleteFrame_RaisesTruncated()
    {
        PacketMeta meta = Decode(EthernetIPv6("00 0d", "11") + UdpToDns);

        Assert.Equal(DecodeAnomaly.IPv6Truncated, meta.Anomaly);
        Assert.Equal(6, meta.IPVersion);
        Assert.Equal(s_v6Source, meta.Source);
        Assert.False(meta.NetworkComplete);
    }

    [Fact]
    public void Decode_IPv6EspCutBySnapLength_DecodesEspWithoutAnomaly()
    {
        byte[] whole = DecoderSamples.EthernetIPv6Esp;
        PacketMeta meta = Decode(whole[..62], originalLength: whole.Length);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.False(meta.NetworkComplete);
        Assert.Equal(62, meta.NetworkEnd);
        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(0xc003u, meta.Spi);
        Assert.Equal(2u, meta.SequenceNumber);
        Assert.Equal(16, meta.EspLength);
        Assert.Equal(8, meta.PayloadLength);
    }

    [Theory]
    [Trait("rfc", "8200-4")]
    [InlineData("00 10", "3c", "11 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00")] // 24 octets claimed, 16 in the datagram
    [InlineData("00 01", "00", "11")]                                               // only the Next Header octet
    [InlineData("00 04", "2c", "11 00 00 01")]                                      // half a Fragment header
    [InlineData("00 0c", "2b", "00 00 00 00 00 00 00 00 ff ff ff ff")]              // Routing fine, then Hop-by-Hop of 2048 octets
    public void Decode_IPv6ExtensionHeaderPastTheDatagram_RaisesExtensionHeaderTruncated(string payloadLength, string nextHeader, string rest)
    {
        PacketMeta meta = Decode(EthernetIPv6(payloadLength, nextHeader) + rest);

        Assert.Equal(DecodeAnomaly.IPv6ExtensionHeaderTruncated, meta.Anomaly);
        Assert.Equal(6, meta.IPVersion);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    public void Decode_IPv6HopByHopCutBySnapLength_RaisesExtensionHeaderTruncated()
    {
        byte[] whole = DecoderSamples.EthernetIPv6HopByHopIcmpV6;
        PacketMeta meta = Decode(whole[..58], originalLength: whole.Length);

        Assert.Equal(DecodeAnomaly.IPv6ExtensionHeaderTruncated, meta.Anomaly);
        Assert.Equal(IPProtocol.HopByHop, meta.Protocol);
    }

    [Theory]
    [InlineData(8, DecodeAnomaly.None)]
    [InlineData(9, DecodeAnomaly.IPv6TooManyExtensionHeaders)]
    public void Decode_IPv6LongExtensionChain_IsBounded(int headers, DecodeAnomaly expected)
    {
        string chain = string.Concat(Enumerable.Repeat("3c 00 01 04 00 00 00 00", headers - 1)) + // Destination Options -> Destination Options
            "3b 00 01 04 00 00 00 00";                                                           // last: No Next Header
        PacketMeta meta = Decode(EthernetIPv6((headers * 8).ToString("x4", null).Insert(2, " "), "3c") + chain);

        Assert.Equal(expected, meta.Anomaly);
        Assert.Equal(expected == DecodeAnomaly.None ? PayloadKind.OtherIP : PayloadKind.None, meta.Kind);
    }
}
