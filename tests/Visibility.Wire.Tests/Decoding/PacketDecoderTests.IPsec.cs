namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    /// <summary>IPv4 UDP 4500 -> 4500 around <paramref name="payload"/>, lengths computed from it.</summary>
    private static byte[] Udp4500(string payload, string sourcePort = "11 94", string destinationPort = "11 94")
    {
        int udpLength = 8 + Hex.Parse(payload).Length;
        return EthernetIPv4("11",
            sourcePort + " " + destinationPort + " " +               // 34 UDP ports
            udpLength.ToString("x4", null).Insert(2, " ") + " 00 00" + // 38 length, checksum 0 (RFC 3948 §2.1)
            payload);                                                // 42
    }

    [Fact]
    [Trait("rfc", "4303-2")]
    public void Decode_NativeEsp_ReadsSpiAndSequenceAndIPLength()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Esp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(IPProtocol.Esp, meta.Protocol);
        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(EspEncapsulation.Esp, meta.Encapsulation);
        Assert.Equal(0x1001u, meta.Spi);
        Assert.Equal(7u, meta.SequenceNumber);
        Assert.Equal(34, meta.EspOffset);
        Assert.Equal(16, meta.EspLength);        // from the IP Total Length: the Ethernet padding is not ESP
        Assert.Equal(34, meta.PayloadOffset);
        Assert.Equal(16, meta.PayloadLength);
        Assert.False(meta.HasPorts);
        Assert.True(meta.IsWhole);
    }

    [Fact]
    [Trait("rfc", "4303-2")]
    public void Decode_IPv6Esp_ReadsSpiAndSequence()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv6Esp);

        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(0xc003u, meta.Spi);
        Assert.Equal(2u, meta.SequenceNumber);
        Assert.Equal(54, meta.EspOffset);
        Assert.Equal(16, meta.EspLength);
    }

    [Fact]
    [Trait("rfc", "4303-2")]
    public void Decode_EspOfExactly8Octets_IsDecoded()
    {
        PacketMeta meta = Decode(EthernetIPv4("32", "00 00 10 01 00 00 00 01"));

        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(8, meta.EspLength);
    }

    [Theory]
    [Trait("rfc", "4303-2")]
    [InlineData("00 00 10 01 00 00 00")]
    [InlineData("00 00 10 01")]
    [InlineData("")]
    public void Decode_EspShorterThan8Octets_RaisesEspPacketTooSmall(string esp)
    {
        PacketMeta meta = Decode(EthernetIPv4("32", esp));

        Assert.Equal(DecodeAnomaly.EspPacketTooSmall, meta.Anomaly);
        Assert.Equal(IPProtocol.Esp, meta.Protocol);
        Assert.Equal(PayloadKind.None, meta.Kind);
        Assert.Equal(0u, meta.Spi);
    }

    [Fact]
    public void Decode_EspCutBySnapLengthInsideItsHeader_RaisesEspPacketTooSmall()
    {
        byte[] whole = DecoderSamples.EthernetIPv4Esp;
        PacketMeta meta = Decode(whole[..38], originalLength: whole.Length);

        Assert.Equal(DecodeAnomaly.EspPacketTooSmall, meta.Anomaly);
    }

    [Fact]
    [Trait("rfc", "4303-2.1")]
    public void Decode_EspWithSpiZero_RaisesEspZeroSpi()
    {
        PacketMeta meta = Decode(EthernetIPv4("32", "00 00 00 00 00 00 00 01 de ad be ef"));

        Assert.Equal(DecodeAnomaly.EspZeroSpi, meta.Anomaly);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void Decode_IPv4Wesp_LocatesTheWespHeader()
    {
        PacketMeta meta = Decode(EthernetIPv4("8d", "06 0c 0c 00 00 00 d0 04 00 00 00 03 de ad be ef"));

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.Wesp, meta.Kind);
        Assert.Equal(EspEncapsulation.Wesp, meta.Encapsulation);
        Assert.Equal(34, meta.WespOffset);
        Assert.Equal(16, meta.PayloadLength);
    }

    [Fact]
    [Trait("rfc", "3948-2.1")]
    public void Decode_UdpEncapsulatedEsp_ReadsSpiFromTheUdpPayload()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4UdpEsp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(IPProtocol.Udp, meta.Protocol);
        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(EspEncapsulation.Udp, meta.Encapsulation);
        Assert.Equal(4500, meta.SourcePort);
        Assert.Equal(4500, meta.DestinationPort);
        Assert.Equal(0xb002u, meta.Spi);
        Assert.Equal(1u, meta.SequenceNumber);
        Assert.Equal(42, meta.EspOffset);
        Assert.Equal(16, meta.EspLength);
        Assert.Equal(42, meta.PayloadOffset);
        Assert.Equal(16, meta.PayloadLength);
        Assert.True(meta.HasPorts);
    }

    [Theory]
    [Trait("rfc", "3948-2")]
    [InlineData("11 94", "d2 04")] // 4500 -> 53764: a NAPT rewrote one side
    [InlineData("f8 1c", "11 94")] // 63516 -> 4500
    public void Decode_UdpEncapsulatedEspOnOnePort4500_IsStillEsp(string sourcePort, string destinationPort)
    {
        PacketMeta meta = Decode(Udp4500("12 34 56 78 00 00 00 05 aa bb", sourcePort, destinationPort));

        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(0x12345678u, meta.Spi);
        Assert.Equal(5u, meta.SequenceNumber);
        Assert.Equal(10, meta.EspLength);
    }

    [Fact]
    public void Decode_UdpEncapsulatedEspWithIPPadding_TakesTheUdpLength()
    {
        PacketMeta meta = Decode(EthernetIPv4("11",
            "11 94 11 94 00 10 00 00" +   // 34 UDP length 16
            "12 34 56 78 00 00 00 05" +   // 42 ESP, 8 octets by the UDP length
            "ee ee ee ee"));              // 50 inside the IP datagram but not the UDP datagram

        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(8, meta.EspLength);
        Assert.Equal(8, meta.PayloadLength);
    }

    public static TheoryData<string, PayloadKind, DecodeAnomaly> Port4500Payloads => new()
    {
        { "ff", PayloadKind.NatKeepalive, DecodeAnomaly.None },                        // RFC 3948 §2.3
        { "00", PayloadKind.Udp, DecodeAnomaly.EspPacketTooSmall },                    // one octet, not 0xFF
        { "ff ff", PayloadKind.Udp, DecodeAnomaly.EspPacketTooSmall },                 // keepalive is exactly one octet
        { "00 00 00", PayloadKind.Udp, DecodeAnomaly.EspPacketTooSmall },
        { "", PayloadKind.Udp, DecodeAnomaly.EspPacketTooSmall },
        { "00 00 00 00", PayloadKind.Ike, DecodeAnomaly.None },                        // marker alone: the IKE layer judges
        { "00 00 00 02", PayloadKind.Wesp, DecodeAnomaly.None },                       // identifier alone: the WESP layer judges
        { "00 00 00 02 06 0c 0c 00 00 00 d0 04 00 00 00 03", PayloadKind.Wesp, DecodeAnomaly.None },
        { "00 00 01 00 00 00 00 05", PayloadKind.Esp, DecodeAnomaly.None },            // SPI 256, first unreserved
        { "00 00 00 01 00 00 00 05", PayloadKind.Esp, DecodeAnomaly.None },            // SPI 1: reserved, still ESP here
        { "12 34 56 78", PayloadKind.Udp, DecodeAnomaly.EspPacketTooSmall },           // SPI without sequence number
        { "12 34 56 78 00 00 00", PayloadKind.Udp, DecodeAnomaly.EspPacketTooSmall },
    };

    [Theory]
    [Trait("rfc", "3948-2")]
    [MemberData(nameof(Port4500Payloads))]
    public void Decode_Port4500Payload_IsDemultiplexed(string payload, PayloadKind kind, DecodeAnomaly anomaly)
    {
        PacketMeta meta = Decode(Udp4500(payload));

        Assert.Equal(anomaly, meta.Anomaly);
        Assert.Equal(kind, meta.Kind);
        Assert.Equal(4500, meta.SourcePort);
        Assert.True(meta.HasPorts);
        Assert.Equal(kind == PayloadKind.Esp ? EspEncapsulation.Udp
            : kind == PayloadKind.Wesp ? EspEncapsulation.WespUdp : EspEncapsulation.None, meta.Encapsulation);
    }

    [Fact]
    [Trait("rfc", "3948-2.3")]
    public void Decode_NatKeepalive_PointsAtTheOctet()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4NatKeepalive);

        Assert.Equal(PayloadKind.NatKeepalive, meta.Kind);
        Assert.Equal(42, meta.PayloadOffset);
        Assert.Equal(1, meta.PayloadLength);
        Assert.Equal(0u, meta.Spi);
    }

    [Fact]
    [Trait("rfc", "3948-2.2")]
    public void Decode_IkeOn4500_StartsAfterTheMarker()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Ike4500);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.Ike, meta.Kind);
        Assert.Equal(46, meta.IkeOffset);
        Assert.Equal(28, meta.IkeLength);
        Assert.Equal(46, meta.PayloadOffset);
        Assert.Equal(28, meta.PayloadLength);
        Assert.Equal(EspEncapsulation.None, meta.Encapsulation);
    }

    [Fact]
    [Trait("rfc", "7296-2")]
    public void Decode_IkeOn500_StartsAtTheUdpPayload()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Ike500);

        Assert.Equal(PayloadKind.Ike, meta.Kind);
        Assert.Equal(42, meta.IkeOffset);
        Assert.Equal(28, meta.IkeLength);
        Assert.True(meta.HasPorts);
    }

    [Theory]
    [Trait("rfc", "7296-2.23")]
    [InlineData("01 f4", "f8 1c")]   // 500 -> 63516
    [InlineData("27 14", "01 f4")]   // 10004 -> 500 (as NAPTs do)
    [InlineData("01 f4", "11 94")]   // 500 -> 4500: port 500 never carries the marker, so it is plain IKE
    public void Decode_UdpWithOnePort500_IsIkeWithoutMarker(string sourcePort, string destinationPort)
    {
        PacketMeta meta = Decode(Udp4500("00 00 00 00 01 02 03 04", sourcePort, destinationPort));

        Assert.Equal(PayloadKind.Ike, meta.Kind);
        Assert.Equal(42, meta.IkeOffset);
        Assert.Equal(8, meta.IkeLength);
    }

    [Fact]
    [Trait("rfc", "5840-2.1")]
    public void Decode_UdpEncapsulatedWesp_WespHeaderAtUdpOffset12()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4UdpWesp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.Wesp, meta.Kind);
        Assert.Equal(EspEncapsulation.WespUdp, meta.Encapsulation);
        Assert.Equal(34 + 12, meta.WespOffset);   // protocol-facts §2.6
        Assert.Equal(46, meta.PayloadOffset);
        Assert.Equal(16, meta.PayloadLength);
        Assert.True(meta.HasPorts);
    }

    [Fact]
    public void Decode_Port4500CutInsideThePrefix_RaisesEspPacketTooSmallKeepingUdp()
    {
        byte[] whole = DecoderSamples.EthernetIPv4UdpEsp;
        PacketMeta meta = Decode(whole[..45], originalLength: whole.Length);

        Assert.Equal(DecodeAnomaly.EspPacketTooSmall, meta.Anomaly);
        Assert.Equal(PayloadKind.Udp, meta.Kind);
        Assert.Equal(4500, meta.DestinationPort);
    }

    [Fact]
    public void DecodeNetwork_IPv4Datagram_DecodesFromOffsetZero()
    {
        var meta = new PacketMeta { VlanCount = 2, Anomaly = DecodeAnomaly.IPv4Truncated };
        PacketDecoder.DecodeNetwork(Hex.Parse(DecoderSamples.IPv4Udp), ref meta);

        Assert.Equal(LinkType.Raw, meta.LinkType);
        Assert.Equal(0, meta.VlanCount);
        Assert.Equal(32, meta.CapturedLength);
        Assert.Equal(32, meta.OriginalLength);
        AssertIPv4UdpSample(meta, networkOffset: 0);
    }

    [Fact]
    public void DecodeNetwork_IPv6Datagram_DecodesFromOffsetZero()
    {
        var meta = default(PacketMeta);
        PacketDecoder.DecodeNetwork(Hex.Parse(DecoderSamples.IPv6Udp), ref meta);

        AssertIPv6UdpSample(meta, networkOffset: 0);
    }

    [Theory]
    [InlineData("", DecodeAnomaly.LinkPacketTooSmall)]
    [InlineData("50 00", DecodeAnomaly.RawInvalidIPVersion)]
    [InlineData("45 00 00 21 00 01 00 00 40 11 00 00 c0 00 02 01 c6 33 64 02 d9 03 00 35 00 0c 00 00 01 02 03 04",
        DecodeAnomaly.IPv4Truncated)] // a reassembled datagram is whole: a longer Total Length is truncation
    public void DecodeNetwork_BadDatagram_RaisesAnomaly(string datagram, DecodeAnomaly expected)
    {
        var meta = default(PacketMeta);
        PacketDecoder.DecodeNetwork(Hex.Parse(datagram), ref meta);

        Assert.Equal(expected, meta.Anomaly);
    }

    [Fact]
    [Trait("rfc", "4303-3.1.1")]
    public void DecodeTransport_InnerTcp_KeepsOuterNetworkFields()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Esp);
        byte[] inner = Hex.Parse(
            "ff ff" +                                                      // 0  bytes before the header (IV, say)
            "c0 01 00 16 00 00 00 01 00 00 00 00 50 02 ff ff 00 00 00 00" + // 2  TCP 49153 -> 22, SYN
            "61 62 63" +                                                   // 22 data
            "01 02 02 06");                                                // 25 ESP trailer: not part of the payload

        PacketDecoder.DecodeTransport(inner, 2, 25, IPProtocol.Tcp, ref meta);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.Tcp, meta.Kind);
        Assert.Equal(22, meta.DestinationPort);
        Assert.Equal(22, meta.PayloadOffset);
        Assert.Equal(3, meta.PayloadLength);
        Assert.Equal(EspEncapsulation.None, meta.Encapsulation);
        Assert.Equal(0u, meta.Spi);
        Assert.Equal(0, meta.EspOffset);
        // Network fields are the outer ones, untouched.
        Assert.Equal(4, meta.IPVersion);
        Assert.Equal(s_v4Source, meta.Source);
        Assert.Equal(IPProtocol.Esp, meta.Protocol);
        Assert.Equal(34, meta.TransportOffset);
        Assert.Equal(50, meta.NetworkEnd);
    }

    [Fact]
    public void DecodeTransport_InnerUdpEncapsulatedEsp_ReplacesTheSpi()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Esp);
        byte[] inner = Hex.Parse("11 94 11 94 00 10 00 00 ab cd ab cd 00 00 00 2a"); // UDP-ESP SPI 0xabcdabcd, seq 42

        PacketDecoder.DecodeTransport(inner, 0, inner.Length, IPProtocol.Udp, ref meta);

        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(EspEncapsulation.Udp, meta.Encapsulation);
        Assert.Equal(0xabcdabcdu, meta.Spi);
        Assert.Equal(42u, meta.SequenceNumber);
        Assert.Equal(8, meta.EspOffset);
        Assert.Equal(8, meta.EspLength);
    }

    [Fact]
    public void DecodeTransport_UdpLongerThanEnd_RaisesUdpLengthInvalid()
    {
        var meta = new PacketMeta { Anomaly = DecodeAnomaly.EspBadTrailer };
        byte[] inner = Hex.Parse("d9 03 00 35 00 0c 00 00 01 02 03 04");

        PacketDecoder.DecodeTransport(inner, 0, 11, IPProtocol.Udp, ref meta);

        Assert.Equal(DecodeAnomaly.UdpLengthInvalid, meta.Anomaly);
    }

    [Theory]
    [InlineData(5, 2)]     // offset past end
    [InlineData(-1, 4)]    // negative offset
    [InlineData(0, 100)]   // end past the span
    [InlineData(0, -3)]    // negative end
    public void DecodeTransport_OutOfRangeBounds_AreClampedWithoutThrowing(int offset, int end)
    {
        var meta = default(PacketMeta);
        byte[] inner = Hex.Parse("d9 03 00 35 00 0c 00 00 01 02 03 04");

        PacketDecoder.DecodeTransport(inner, offset, end, IPProtocol.Tcp, ref meta);

        Assert.Equal(DecodeAnomaly.TcpPacketTooSmall, meta.Anomaly);
    }

    [Fact]
    public void DecodeTransport_OtherProtocol_IsOtherIPWithTheWholeRange()
    {
        var meta = default(PacketMeta);
        PacketDecoder.DecodeTransport(new byte[10], 2, 9, (IPProtocol)47, ref meta);

        Assert.Equal(PayloadKind.OtherIP, meta.Kind);
        Assert.Equal(2, meta.PayloadOffset);
        Assert.Equal(7, meta.PayloadLength);
    }
}
