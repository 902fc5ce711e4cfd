namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    /// <summary>Ethernet + IPv4 192.0.2.1 -> 198.51.100.2 of the given protocol around <paramref name="payload"/>,
    /// Total Length computed from it.</summary>
    private static byte[] EthernetIPv4(string protocol, string payload)
    {
        int totalLength = 20 + Hex.Parse(payload).Length;
        return Hex.Parse(
            DecoderSamples.EthernetToIPv4 +                                          // 0
            "45 00 " + totalLength.ToString("x4", null).Insert(2, " ") +             // 14 IPv4, Total Length
            " 00 01 00 00 40 " + protocol + " 00 00" +                               // 18 id 1, TTL 64, protocol
            "c0 00 02 01 c6 33 64 02" +                                              // 26
            payload);                                                                // 34
    }

    [Fact]
    [Trait("rfc", "9293-3.1")]
    public void Decode_TcpWithOptions_PayloadStartsAfterDataOffset()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Tcp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.Tcp, meta.Kind);
        Assert.Equal(34, meta.TransportOffset);
        Assert.Equal(49153, meta.SourcePort);
        Assert.Equal(80, meta.DestinationPort);
        Assert.Equal(0x02, meta.TcpFlags);
        Assert.Equal(66, meta.PayloadOffset);
        Assert.Equal(0, meta.PayloadLength);
        Assert.True(meta.HasPorts);
    }

    [Fact]
    public void Decode_TcpWithData_ReportsPayload()
    {
        PacketMeta meta = Decode(EthernetIPv4("06",
            "c0 01 00 50 00 00 00 01 00 00 00 01 50 18 ff ff 00 00 00 00" + // 34 TCP, data offset 5, PSH ACK
            "47 45 54 20 2f"));                                              // 54 "GET /"

        Assert.Equal(0x18, meta.TcpFlags);
        Assert.Equal(54, meta.PayloadOffset);
        Assert.Equal(5, meta.PayloadLength);
    }

    [Theory]
    [Trait("rfc", "9293-3.1")]
    [InlineData("c0 01 00 50 00 00 00 01 00 00 00 01 40 02 ff ff 00 00 00 00", DecodeAnomaly.TcpHeaderLengthTooSmall)] // data offset 4
    [InlineData("c0 01 00 50 00 00 00 01 00 00 00 01 00 02 ff ff 00 00 00 00", DecodeAnomaly.TcpHeaderLengthTooSmall)] // data offset 0
    [InlineData("c0 01 00 50 00 00 00 01 00 00 00 01 f0 02 ff ff 00 00 00 00", DecodeAnomaly.TcpPacketTooSmall)]       // 60 octets claimed, 20 present
    [InlineData("c0 01 00 50 00 00 00 01 00 00 00 01 50 02 ff ff 00 00 00", DecodeAnomaly.TcpPacketTooSmall)]          // 19 octets
    [InlineData("", DecodeAnomaly.TcpPacketTooSmall)]
    public void Decode_MalformedTcp_RaisesTcpAnomaly(string tcp, DecodeAnomaly expected)
    {
        PacketMeta meta = Decode(EthernetIPv4("06", tcp));

        Assert.Equal(expected, meta.Anomaly);
        Assert.Equal(IPProtocol.Tcp, meta.Protocol);
        Assert.Equal(34, meta.TransportOffset);
        Assert.Equal(PayloadKind.None, meta.Kind);
        Assert.False(meta.HasPorts);
    }

    [Fact]
    public void Decode_TcpOptionsCutBySnapLength_RaisesTcpPacketTooSmall()
    {
        byte[] whole = DecoderSamples.EthernetIPv4Tcp;
        PacketMeta meta = Decode(whole[..60], originalLength: whole.Length);

        Assert.Equal(DecodeAnomaly.TcpPacketTooSmall, meta.Anomaly);
    }

    [Fact]
    [Trait("rfc", "768")]
    public void Decode_UdpShorterThanIPPayload_PayloadFollowsUdpLength()
    {
        PacketMeta meta = Decode(EthernetIPv4("11",
            "d9 03 00 35 00 0c 00 00 01 02 03 04" + // 34 UDP length 12
            "ee ee ee ee"));                         // 46 beyond the UDP length, inside the IP datagram

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(50, meta.NetworkEnd);
        Assert.Equal(42, meta.PayloadOffset);
        Assert.Equal(4, meta.PayloadLength);
    }

    [Theory]
    [Trait("rfc", "768")]
    [InlineData("d9 03 00 35 00 0d 00 00 01 02 03 04", DecodeAnomaly.UdpLengthInvalid)] // 13 > 12 in the datagram
    [InlineData("d9 03 00 35 00 07 00 00 01 02 03 04", DecodeAnomaly.UdpLengthInvalid)] // below the header
    [InlineData("d9 03 00 35 00 00 00 00 01 02 03 04", DecodeAnomaly.UdpLengthInvalid)]
    [InlineData("d9 03 00 35 00 0c 00", DecodeAnomaly.UdpPacketTooSmall)]
    [InlineData("", DecodeAnomaly.UdpPacketTooSmall)]
    public void Decode_MalformedUdp_RaisesUdpAnomaly(string udp, DecodeAnomaly expected)
    {
        PacketMeta meta = Decode(EthernetIPv4("11", udp));

        Assert.Equal(expected, meta.Anomaly);
        Assert.Equal(PayloadKind.None, meta.Kind);
        Assert.False(meta.HasPorts);
    }

    [Fact]
    public void Decode_UdpLengthBeyondIPLengthWhenCut_IsStillInvalid()
    {
        // The IP length is known even when the capture cut the frame: a UDP length beyond it is the sender's error.
        byte[] frame = EthernetIPv4("11", "d9 03 00 35 00 40 00 00 01 02 03 04");
        PacketMeta meta = Decode(frame[..42], originalLength: 200);

        Assert.Equal(DecodeAnomaly.UdpLengthInvalid, meta.Anomaly);
    }

    [Fact]
    [Trait("rfc", "792")]
    public void Decode_IcmpEcho_ReportsTypeCodeAndBody()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Icmp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.Icmp, meta.Kind);
        Assert.Equal(8, meta.IcmpType);
        Assert.Equal(0, meta.IcmpCode);
        Assert.Equal(42, meta.PayloadOffset);
        Assert.Equal(4, meta.PayloadLength);
        Assert.False(meta.HasPorts);
    }

    [Fact]
    [Trait("rfc", "792")]
    public void Decode_IcmpDestinationUnreachable_DoesNotTakeQuotedPorts()
    {
        PacketMeta meta = Decode(EthernetIPv4("01",
            "03 03 00 00 00 00 00 00" +                                   // 34 port unreachable
            "45 00 00 20 00 01 00 00 40 11 00 00 c6 33 64 02 c0 00 02 01" + // 42 quoted IPv4 header
            "00 35 d9 03 00 0c 00 00"));                                  // 62 quoted UDP header

        Assert.Equal(PayloadKind.Icmp, meta.Kind);
        Assert.Equal(3, meta.IcmpType);
        Assert.Equal(3, meta.IcmpCode);
        Assert.Equal(0, meta.SourcePort);
        Assert.Equal(s_v4Source, meta.Source);
        Assert.Equal(28, meta.PayloadLength);
    }

    [Theory]
    [InlineData("08 00 00 00 00 01 00")]
    [InlineData("08")]
    public void Decode_ShortIcmp_RaisesIcmpPacketTooSmall(string icmp)
    {
        Assert.Equal(DecodeAnomaly.IcmpPacketTooSmall, Decode(EthernetIPv4("01", icmp)).Anomaly);
    }

    [Fact]
    [Trait("rfc", "4443-2.1")]
    public void Decode_ShortIcmpV6_RaisesIcmpV6PacketTooSmall()
    {
        PacketMeta meta = Decode(EthernetIPv6("00 04", "3a") + "80 00 00 00"); // echo request, 4 octets only

        Assert.Equal(DecodeAnomaly.IcmpV6PacketTooSmall, meta.Anomaly);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    [Trait("rfc", "4443-4.1")]
    public void Decode_IcmpV6Echo_ReportsTypeAndCode()
    {
        PacketMeta meta = Decode(EthernetIPv6("00 0a", "3a") + "80 00 00 00 00 07 00 01 61 62");

        Assert.Equal(PayloadKind.IcmpV6, meta.Kind);
        Assert.Equal(128, meta.IcmpType);
        Assert.Equal(62, meta.PayloadOffset);
        Assert.Equal(2, meta.PayloadLength);
    }
}
