namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    /// <summary>IPv4 with the given header length/options, UDP 55555 -> 53 and 4 payload octets.</summary>
    private static string IPv4UdpWithOptions(string versionIhl, string totalLength, string options) =>
        DecoderSamples.EthernetToIPv4 +
        versionIhl + " 00 " + totalLength + " 00 01 00 00 40 11 00 00" + // 14 IPv4
        "c0 00 02 01 c6 33 64 02" +                                     // 26 addresses
        options +                                                       // 34 options
        "d9 03 00 35 00 0c 00 00 01 02 03 04";                          //    UDP + payload

    [Theory]
    [Trait("rfc", "791-3.1")]
    [InlineData("46", "00 24", "01 01 01 00")]                              // NOP NOP NOP EOL
    [InlineData("46", "00 24", "94 04 00 00")]                              // Router Alert (RFC 2113)
    [InlineData("46", "00 24", "00 ff ff ff")]                              // EOL, then anything
    [InlineData("47", "00 28", "07 07 04 00 00 00 00 01")]                  // Record Route, one slot, NOP
    [InlineData("4f", "00 48", "44 28 05 00" +                              // Timestamp, 40 octets (fills IHL 15)
                                "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" +
                                "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")]
    public void Decode_IPv4WellFormedOptions_AreWalkedOver(string versionIhl, string totalLength, string options)
    {
        PacketMeta meta = Decode(IPv4UdpWithOptions(versionIhl, totalLength, options));

        int headerLength = (Convert.ToInt32(versionIhl, 16) & 0xF) * 4;
        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(14 + headerLength, meta.TransportOffset);
        Assert.Equal(PayloadKind.Udp, meta.Kind);
        Assert.Equal(53, meta.DestinationPort);
    }

    [Theory]
    [Trait("rfc", "791-3.1")]
    [InlineData("46", "00 24", "94 05 00 00")]    // length runs past the header
    [InlineData("46", "00 24", "94 01 00 00")]    // length 1 (below type + length)
    [InlineData("46", "00 24", "94 00 00 00")]    // length 0 (would loop forever if trusted)
    [InlineData("46", "00 24", "01 01 01 94")]    // last option has no length octet
    [InlineData("47", "00 28", "01 94 04 00 83 07 04 00")] // NOP, Router Alert, then a Record Route that overruns
    public void Decode_IPv4MalformedOption_RaisesOptionInvalid(string versionIhl, string totalLength, string options)
    {
        PacketMeta meta = Decode(IPv4UdpWithOptions(versionIhl, totalLength, options));

        Assert.Equal(DecodeAnomaly.IPv4OptionInvalid, meta.Anomaly);
        Assert.Equal(4, meta.IPVersion);
        Assert.Equal(s_v4Source, meta.Source);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    [Trait("rfc", "791-3.1")]
    public void Decode_IPv4HeaderLengthBelow20_RaisesHeaderLengthTooSmall()
    {
        PacketMeta meta = Decode(IPv4UdpWithOptions("44", "00 20", ""));

        Assert.Equal(DecodeAnomaly.IPv4HeaderLengthTooSmall, meta.Anomaly);
        Assert.Equal(4, meta.IPVersion);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Theory]
    [InlineData("00 13")] // 19 < 20
    [InlineData("00 00")] // 0, as TSO captures show
    public void Decode_IPv4TotalLengthBelowHeader_RaisesTotalLengthSmallerThanHeader(string totalLength)
    {
        PacketMeta meta = Decode(IPv4UdpWithOptions("45", totalLength, ""));

        Assert.Equal(DecodeAnomaly.IPv4TotalLengthSmallerThanHeader, meta.Anomaly);
    }

    [Fact]
    public void Decode_IPv4TotalLengthBeyondCompleteFrame_RaisesTruncated()
    {
        // Total length 33 but the frame on the wire (not cut) holds 32 octets of datagram.
        PacketMeta meta = Decode(IPv4UdpWithOptions("45", "00 21", ""));

        Assert.Equal(DecodeAnomaly.IPv4Truncated, meta.Anomaly);
        Assert.Equal(4, meta.IPVersion);
        Assert.False(meta.NetworkComplete);
        Assert.Equal(46, meta.NetworkEnd);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    public void Decode_IPv4CutBySnapLength_DecodesHeadersWithoutAnomaly()
    {
        // The UDP sample cut after the UDP header (42 of 46 octets), as a capture with snaplen 42 would cut it.
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Udp[..42], originalLength: 46);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.Udp, meta.Kind);
        Assert.Equal(55555, meta.SourcePort);
        Assert.False(meta.NetworkComplete);
        Assert.False(meta.IsWhole);
        Assert.Equal(42, meta.NetworkEnd);
        Assert.Equal(42, meta.PayloadOffset);
        Assert.Equal(0, meta.PayloadLength);

        byte[] cut = DecoderSamples.EthernetIPv4UdpEsp[..50];
        meta = Decode(cut, originalLength: DecoderSamples.EthernetIPv4UdpEsp.Length);
        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.False(meta.NetworkComplete);
        Assert.Equal(50, meta.NetworkEnd);
        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(0xb002u, meta.Spi);
        Assert.Equal(16, meta.EspLength);       // from the UDP length, beyond the captured bytes
        Assert.Equal(8, meta.PayloadLength);    // clamped to the captured bytes
    }

    [Fact]
    public void Decode_IPv4LongerThanTheWireEvenWhenCut_RaisesTruncated()
    {
        // Captured 40 of 46 octets, but the datagram claims 0x0100 octets: more than the wire carried.
        byte[] frame = Hex.Parse(IPv4UdpWithOptions("45", "01 00", ""))[..40];
        PacketMeta meta = Decode(frame, originalLength: 46);

        Assert.Equal(DecodeAnomaly.IPv4Truncated, meta.Anomaly);
    }

    [Fact]
    public void Decode_IPv4OptionsCutBySnapLength_RaisesPacketTooSmall()
    {
        byte[] frame = Hex.Parse(IPv4UdpWithOptions("46", "00 24", "94 04 00 00"))[..36];
        PacketMeta meta = Decode(frame, originalLength: 50);

        Assert.Equal(DecodeAnomaly.IPv4PacketTooSmall, meta.Anomaly);
        Assert.Equal(4, meta.IPVersion);
    }

    [Fact]
    public void Decode_IPv4FewerThan20Octets_RaisesPacketTooSmall()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Udp[..33]);

        Assert.Equal(DecodeAnomaly.IPv4PacketTooSmall, meta.Anomaly);
        Assert.Equal(0, meta.IPVersion);
    }

    [Fact]
    public void Decode_EthernetPadding_IsNotPartOfTheDatagram()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4NatKeepalive);

        Assert.Equal(60, meta.CapturedLength);
        Assert.Equal(43, meta.NetworkEnd);
        Assert.True(meta.NetworkComplete);
        Assert.Equal(1, meta.PayloadLength);
    }

    [Fact]
    [Trait("rfc", "791-3.2")]
    public void Decode_IPv4FirstFragment_DescribesFragmentAndStops()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4FirstFragment);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.True(meta.IsFragment);
        Assert.True(meta.MoreFragments);
        Assert.Equal(0xabcdu, meta.FragmentId);
        Assert.Equal(0, meta.FragmentOffset);
        Assert.Equal(34, meta.FragmentPayloadOffset);
        Assert.Equal(IPProtocol.Udp, meta.FragmentNextHeader);
        Assert.Equal(IPProtocol.Udp, meta.Protocol);
        Assert.Equal(0, meta.TransportOffset);
        Assert.Equal(PayloadKind.None, meta.Kind);
        Assert.Equal(0, meta.SourcePort);
        Assert.Equal(50, meta.NetworkEnd);
        Assert.Equal(s_v4Source, meta.Source);
    }

    [Theory]
    [Trait("rfc", "791-3.2")]
    [InlineData("20 b9", true, 1480)]   // MF, offset 185 × 8
    [InlineData("00 b9", false, 1480)]  // last fragment
    [InlineData("1f ff", false, 65528)] // largest offset
    [InlineData("60 01", true, 8)]      // DF with MF: still a fragment
    public void Decode_IPv4LaterFragments_ReportOffsetAndFlag(string flagsOffset, bool more, int offset)
    {
        PacketMeta meta = Decode(
            DecoderSamples.EthernetToIPv4 +
            "45 00 00 1c 12 34 " + flagsOffset + " 40 11 00 00" + // 14 IPv4 total 28, id 0x1234
            "c0 00 02 01 c6 33 64 02" +                          // 26
            "00 00 00 00 00 00 00 00");                          // 34 fragment data

        Assert.True(meta.IsFragment);
        Assert.Equal(more, meta.MoreFragments);
        Assert.Equal(offset, meta.FragmentOffset);
        Assert.Equal(0x1234u, meta.FragmentId);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    public void Decode_IPv4DontFragmentOnly_IsNotAFragment()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Tcp);

        Assert.False(meta.IsFragment);
        Assert.Equal(PayloadKind.Tcp, meta.Kind);
    }

    [Fact]
    [Trait("rfc", "4302-2")]
    public void Decode_IPv4AhThenEsp_WalksOverAh()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4AhEsp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.True(meta.HasAh);
        Assert.Equal(IPProtocol.Esp, meta.Protocol);
        Assert.Equal(58, meta.TransportOffset);
        Assert.Equal(PayloadKind.Esp, meta.Kind);
        Assert.Equal(0x1001u, meta.Spi);
        Assert.Equal(9u, meta.SequenceNumber);
        Assert.Equal(58, meta.EspOffset);
        Assert.Equal(16, meta.EspLength);
    }

    [Fact]
    [Trait("rfc", "4302-2")]
    public void Decode_IPv4AhThenTcp_DecodesTcp()
    {
        PacketMeta meta = Decode(
            DecoderSamples.EthernetToIPv4 +
            "45 00 00 40 00 01 00 00 40 33 00 00" +  // 14 IPv4 total 64, AH
            "c0 00 02 01 c6 33 64 02" +              // 26
            "06 04 00 00 00 00 a0 0a 00 00 00 01" +  // 34 AH: next TCP, 24 octets
            "00 00 00 00 00 00 00 00 00 00 00 00" +  // 46 ICV
            "c0 01 00 50 00 00 00 01 00 00 00 00" +  // 58 TCP
            "50 18 ff ff 00 00 00 00");              // 70 data offset 5, PSH ACK

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.True(meta.HasAh);
        Assert.Equal(PayloadKind.Tcp, meta.Kind);
        Assert.Equal(0x18, meta.TcpFlags);
        Assert.Equal(78, meta.PayloadOffset);
        Assert.Equal(0, meta.PayloadLength);
    }

    [Theory]
    [Trait("rfc", "4302-2.2")]
    [InlineData("00 24", "32 00 00 00 00 00 a0 0a 00 00 00 01 00 00 00 00")]  // payload len 0: 8 octets, below the fixed 12
    [InlineData("00 24", "32 04 00 00 00 00 a0 0a 00 00 00 01 00 00 00 00")]  // 24 octets claimed, 16 in the datagram
    [InlineData("00 1e", "32 01 00 00 00 00 a0 0a 00 00")]                     // 10 octets: fixed part missing
    public void Decode_IPv4BadAh_RaisesAhPacketTooSmall(string totalLength, string ah)
    {
        PacketMeta meta = Decode(
            DecoderSamples.EthernetToIPv4 +
            "45 00 " + totalLength + " 00 01 00 00 40 33 00 00" + // 14 IPv4, AH
            "c0 00 02 01 c6 33 64 02" +                           // 26
            ah);                                                  // 34

        Assert.Equal(DecodeAnomaly.AhPacketTooSmall, meta.Anomaly);
        Assert.Equal(IPProtocol.Ah, meta.Protocol);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    public void Decode_IPv4InIPv4_IsOtherIP()
    {
        PacketMeta meta = Decode(
            DecoderSamples.EthernetToIPv4 +
            "45 00 00 34 00 01 00 00 40 04 00 00 c0 00 02 01 c6 33 64 02" + // 14 outer IPv4, protocol 4
            DecoderSamples.IPv4Udp);                                         // 34 inner datagram

        Assert.Equal(PayloadKind.OtherIP, meta.Kind);
        Assert.Equal(IPProtocol.IPv4, meta.Protocol);
        Assert.Equal(34, meta.PayloadOffset);
        Assert.Equal(32, meta.PayloadLength);
    }

    [Theory]
    [InlineData(0)]  // HOPOPT means nothing special in IPv4
    [InlineData(47)] // GRE
    [InlineData(132)] // SCTP
    public void Decode_IPv4OtherProtocols_AreOtherIP(byte protocol)
    {
        byte[] frame = DecoderSamples.EthernetIPv4Udp.ToArray();
        frame[14 + 9] = protocol;
        PacketMeta meta = Decode(frame);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.OtherIP, meta.Kind);
        Assert.Equal((IPProtocol)protocol, meta.Protocol);
        Assert.Equal(34, meta.PayloadOffset);
        Assert.Equal(12, meta.PayloadLength);
        Assert.False(meta.HasPorts);
    }
}
