namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    [Fact]
    public void Decode_EthernetIPv4Udp_FillsEveryLayer()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Udp);

        Assert.Equal(46, meta.CapturedLength);
        Assert.Equal(46, meta.OriginalLength);
        Assert.Equal(LinkType.Ethernet, meta.LinkType);
        Assert.Equal(0, meta.VlanCount);
        AssertIPv4UdpSample(meta, networkOffset: 14);
        Assert.False(meta.IsFragment);
        Assert.False(meta.HasAh);
        Assert.Equal(EspEncapsulation.None, meta.Encapsulation);
        Assert.Equal(0u, meta.Spi);
        Assert.True(meta.IsWhole);
    }

    [Fact]
    public void Decode_OriginalLengthBelowCaptured_TakesCapturedLength()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetIPv4Udp, originalLength: 10);

        Assert.Equal(46, meta.OriginalLength);
        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
    }

    public static TheoryData<LinkType, string> IPv4LinkHeaders => new()
    {
        { LinkType.Ethernet, DecoderSamples.EthernetToIPv4 },
        { LinkType.Null, "02 00 00 00" },                                         // AF_INET, little-endian host
        { LinkType.Null, "00 00 00 02" },                                         // AF_INET, big-endian host
        { LinkType.Loop, "00 00 00 02" },                                         // AF_INET, network order
        { LinkType.Loop, "02 00 00 00" },                                         // written in host order anyway
        { LinkType.Raw, "" },
        { LinkType.RawLegacy12, "" },
        { LinkType.RawLegacy14, "" },
        { LinkType.IPv4, "" },
        { LinkType.LinuxSll, "00 00 00 01 00 06 02 00 00 00 00 01 00 00 08 00" },  // SLL: outgoing, ARPHRD_ETHER, protocol IPv4
        { LinkType.LinuxSll2, "08 00 00 00 00 00 00 02 00 01 00 06 02 00 00 00 00 01 00 00" }, // SLL2: protocol IPv4, ifindex 2
    };

    [Theory]
    [MemberData(nameof(IPv4LinkHeaders))]
    public void Decode_IPv4UnderEachLinkType_FindsTheDatagram(LinkType linkType, string linkHeader)
    {
        PacketMeta meta = Decode(linkHeader + DecoderSamples.IPv4Udp, linkType);

        Assert.Equal(linkType, meta.LinkType);
        AssertIPv4UdpSample(meta, networkOffset: Hex.Parse(linkHeader).Length);
    }

    public static TheoryData<LinkType, string> IPv6LinkHeaders => new()
    {
        { LinkType.Ethernet, DecoderSamples.EthernetToIPv6 },
        { LinkType.Null, "0a 00 00 00" },                                         // AF_INET6 Linux (10)
        { LinkType.Null, "18 00 00 00" },                                         // AF_INET6 NetBSD/OpenBSD (24)
        { LinkType.Null, "1c 00 00 00" },                                         // AF_INET6 FreeBSD (28)
        { LinkType.Null, "1e 00 00 00" },                                         // AF_INET6 macOS (30)
        { LinkType.Null, "00 00 00 1e" },                                         // macOS, big-endian host
        { LinkType.Loop, "00 00 00 18" },                                         // OpenBSD loop, network order
        { LinkType.Raw, "" },
        { LinkType.RawLegacy12, "" },
        { LinkType.IPv6, "" },
        { LinkType.LinuxSll, "00 00 00 01 00 06 02 00 00 00 00 01 00 00 86 dd" },
        { LinkType.LinuxSll2, "86 dd 00 00 00 00 00 02 00 01 00 06 02 00 00 00 00 01 00 00" },
    };

    [Theory]
    [MemberData(nameof(IPv6LinkHeaders))]
    public void Decode_IPv6UnderEachLinkType_FindsTheDatagram(LinkType linkType, string linkHeader)
    {
        PacketMeta meta = Decode(linkHeader + DecoderSamples.IPv6Udp, linkType);

        AssertIPv6UdpSample(meta, networkOffset: Hex.Parse(linkHeader).Length);
    }

    [Theory]
    [InlineData("07 00 00 00")] // AF_? 7: not IP
    [InlineData("00 00 00 00")]
    [InlineData("02 00 00 01")] // neither half zero: no family this decoder knows
    public void Decode_NullWithOtherFamily_DecodesNothingWithoutAnomaly(string family)
    {
        PacketMeta meta = Decode(family + DecoderSamples.IPv4Udp, LinkType.Null);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(0, meta.IPVersion);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    public void Decode_EthernetArp_DecodesLinkOnlyWithoutAnomaly()
    {
        PacketMeta meta = Decode(DecoderSamples.EthernetArp);

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(0, meta.IPVersion);
        Assert.Equal(PayloadKind.None, meta.Kind);
        Assert.False(meta.HasPorts);
    }

    [Fact]
    public void Decode_Ethernet8023LengthField_DecodesLinkOnlyWithoutAnomaly()
    {
        PacketMeta meta = Decode(
            "01 80 c2 00 00 00 02 00 00 00 00 01 00 26" + // 0  Ethernet, 802.3 length 38 (STP BPDU follows)
            "42 42 03 00 00 00 00 00");                    // 14 LLC
        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Theory]
    [InlineData(LinkType.Ethernet, "02 00 00 00 00 02 02 00 00 00 00 01 08", DecodeAnomaly.EthernetPacketTooSmall)]
    [InlineData(LinkType.Ethernet, "", DecodeAnomaly.EthernetPacketTooSmall)]
    [InlineData(LinkType.Null, "02 00 00", DecodeAnomaly.NullPacketTooSmall)]
    [InlineData(LinkType.Loop, "", DecodeAnomaly.NullPacketTooSmall)]
    [InlineData(LinkType.LinuxSll, "00 00 00 01 00 06 02 00 00 00 00 01 00 00 08", DecodeAnomaly.SllPacketTooSmall)]
    [InlineData(LinkType.LinuxSll2, "08 00 00 00 00 00 00 02 00 01 00 06 02 00 00 00 00 01 00", DecodeAnomaly.SllPacketTooSmall)]
    [InlineData(LinkType.Raw, "", DecodeAnomaly.LinkPacketTooSmall)]
    [InlineData(LinkType.RawLegacy14, "", DecodeAnomaly.LinkPacketTooSmall)]
    [InlineData(LinkType.Raw, "50 00 00 14", DecodeAnomaly.RawInvalidIPVersion)]          // version 5
    [InlineData(LinkType.Raw, "00", DecodeAnomaly.RawInvalidIPVersion)]
    [InlineData(LinkType.IPv4, "", DecodeAnomaly.IPv4PacketTooSmall)]
    [InlineData(LinkType.IPv6, "", DecodeAnomaly.IPv6PacketTooSmall)]
    [InlineData(LinkType.IPv4, DecoderSamples.IPv6Udp, DecodeAnomaly.IPv4WrongVersion)]
    [InlineData(LinkType.IPv6, DecoderSamples.IPv4Udp + "00 00 00 00 00 00 00 00", DecodeAnomaly.IPv6WrongVersion)] // 40 octets
    [InlineData(LinkType.Null, "02 00 00 00" + DecoderSamples.IPv6Udp, DecodeAnomaly.IPv4WrongVersion)]
    [InlineData(LinkType.Ethernet, DecoderSamples.EthernetToIPv4 + DecoderSamples.IPv6Udp, DecodeAnomaly.IPv4WrongVersion)]
    [InlineData(LinkType.Ethernet, DecoderSamples.EthernetToIPv6 + DecoderSamples.IPv4Udp + "00 00 00 00 00 00 00 00", DecodeAnomaly.IPv6WrongVersion)]
    [InlineData((LinkType)239, "02 00 00 00" + DecoderSamples.IPv4Udp, DecodeAnomaly.UnsupportedLinkType)] // NFLOG
    [InlineData((LinkType)105, "", DecodeAnomaly.UnsupportedLinkType)]                  // 802.11
    public void Decode_BadLinkLayer_RaisesAnomaly(LinkType linkType, string frame, DecodeAnomaly expected)
    {
        PacketMeta meta = Decode(frame, linkType);

        Assert.Equal(expected, meta.Anomaly);
        Assert.Equal(0, meta.IPVersion);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    public static TheoryData<string, int, ushort, ushort> VlanForms => new()
    {
        {
            "02 00 00 00 00 02 02 00 00 00 00 01 81 00" + // 0  Ethernet, TPID 802.1Q
            "00 64 08 00",                                 // 14 VLAN 100, IPv4
            1, 100, 0
        },
        {
            "02 00 00 00 00 02 02 00 00 00 00 01 81 00" + // 0  TPID 802.1Q
            "f0 64 08 00",                                 // 14 PCP 7, DEI 1, VLAN 100: the priority bits are not the id
            1, 100, 0
        },
        {
            "02 00 00 00 00 02 02 00 00 00 00 01 88 a8" + // 0  TPID 802.1ad
            "00 c8 81 00" +                                // 14 S-tag 200, TPID 802.1Q
            "07 d1 08 00",                                 // 18 C-tag 2001, IPv4
            2, 200, 2001
        },
        {
            "02 00 00 00 00 02 02 00 00 00 00 01 91 00" + // 0  legacy QinQ TPID 0x9100
            "00 0a 81 00" +                                // 14 outer 10
            "00 14 08 00",                                 // 18 inner 20, IPv4
            2, 10, 20
        },
        {
            "02 00 00 00 00 02 02 00 00 00 00 01 81 00" + // 0  double 802.1Q
            "00 00 81 00" +                                // 14 priority tag (id 0)
            "00 00 08 00",                                 // 18 priority tag (id 0), IPv4
            2, 0, 0
        },
        {
            "02 00 00 00 00 02 02 00 00 00 00 01 88 a8" + // 0  three tags: the third is decoded, its id not kept
            "00 01 81 00" +                                // 14 id 1
            "00 02 81 00" +                                // 18 id 2
            "00 03 08 00",                                 // 22 id 3, IPv4
            3, 1, 2
        },
    };

    [Theory]
    [MemberData(nameof(VlanForms))]
    public void Decode_VlanTags_KeepsFirstTwoIds(string header, int count, ushort outer, ushort inner)
    {
        PacketMeta meta = Decode(header + DecoderSamples.IPv4Udp);

        Assert.Equal(count, meta.VlanCount);
        Assert.Equal(outer, meta.OuterVlan);
        Assert.Equal(inner, meta.InnerVlan);
        AssertIPv4UdpSample(meta, networkOffset: Hex.Parse(header).Length);
    }

    [Fact]
    public void Decode_FourVlanTags_RaisesTooManyLayers()
    {
        PacketMeta meta = Decode(
            "02 00 00 00 00 02 02 00 00 00 00 01 81 00" + // 0
            "00 01 81 00 00 02 81 00 00 03 81 00" +        // 14 three tags, each announcing another
            "00 04 08 00" +                                // 26 fourth tag
            DecoderSamples.IPv4Udp);

        Assert.Equal(DecodeAnomaly.VlanTooManyLayers, meta.Anomaly);
        Assert.Equal(3, meta.VlanCount);
        Assert.Equal(1, meta.OuterVlan);
        Assert.Equal(2, meta.InnerVlan);
        Assert.Equal(0, meta.IPVersion);
    }

    [Theory]
    [InlineData("02 00 00 00 00 02 02 00 00 00 00 01 81 00", 0)]             // TPID, no tag
    [InlineData("02 00 00 00 00 02 02 00 00 00 00 01 81 00 00 64 08", 0)]    // three octets of tag
    [InlineData("02 00 00 00 00 02 02 00 00 00 00 01 88 a8 00 c8 81 00 07", 1)]
    public void Decode_CutVlanTag_RaisesVlanHeaderTooSmall(string frame, int decodedTags)
    {
        PacketMeta meta = Decode(frame);

        Assert.Equal(DecodeAnomaly.VlanHeaderTooSmall, meta.Anomaly);
        Assert.Equal(decodedTags, meta.VlanCount);
    }

    [Fact]
    public void Decode_VlanThenArp_DecodesTagsOnly()
    {
        PacketMeta meta = Decode(
            "ff ff ff ff ff ff 02 00 00 00 00 01 81 00" + // 0
            "00 64 08 06" +                                // 14 VLAN 100, ARP
            "00 01 08 00 06 04 00 01 02 00 00 00 00 01 c0 00 02 01 00 00 00 00 00 00 c6 33 64 02");

        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(1, meta.VlanCount);
        Assert.Equal(100, meta.OuterVlan);
        Assert.Equal(PayloadKind.None, meta.Kind);
    }

    [Fact]
    public void Decode_LinuxSllWithVlanProtocol_WalksTheTag()
    {
        PacketMeta meta = Decode(
            "00 00 00 01 00 06 02 00 00 00 00 01 00 00 81 00" + // 0  SLL, protocol 802.1Q (tag not offloaded)
            "00 2a 08 00" +                                      // 16 VLAN 42, IPv4
            DecoderSamples.IPv4Udp, LinkType.LinuxSll);

        Assert.Equal(42, meta.OuterVlan);
        AssertIPv4UdpSample(meta, networkOffset: 20);
    }
}
