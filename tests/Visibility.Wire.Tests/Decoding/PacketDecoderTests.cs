namespace Visibility.Wire.Tests.Decoding;

/// <summary>Tests of <see cref="PacketDecoder"/>, split by layer over <c>PacketDecoderTests.*.cs</c>.</summary>
public sealed partial class PacketDecoderTests
{
    private static readonly NetworkAddress s_v4Source = NetworkAddress.Parse("192.0.2.1");
    private static readonly NetworkAddress s_v4Destination = NetworkAddress.Parse("198.51.100.2");
    private static readonly NetworkAddress s_v6Source = NetworkAddress.Parse("2001:db8::1");
    private static readonly NetworkAddress s_v6Destination = NetworkAddress.Parse("2001:db8::2");

    /// <summary>Decodes <paramref name="frame"/> as captured whole (original length = captured length) unless told.</summary>
    private static PacketMeta Decode(byte[] frame, LinkType linkType = LinkType.Ethernet, int originalLength = -1)
    {
        var meta = new PacketMeta { Anomaly = DecodeAnomaly.IkeMalformed, Spi = 99, Kind = PayloadKind.Icmp };
        PacketDecoder.Decode(frame, linkType, originalLength < 0 ? frame.Length : originalLength, ref meta);
        return meta;
    }

    private static PacketMeta Decode(string hex, LinkType linkType = LinkType.Ethernet, int originalLength = -1) =>
        Decode(Hex.Parse(hex), linkType, originalLength);

    private static void AssertIPv4UdpSample(in PacketMeta meta, int networkOffset)
    {
        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(4, meta.IPVersion);
        Assert.Equal(networkOffset, meta.NetworkOffset);
        Assert.Equal(s_v4Source, meta.Source);
        Assert.Equal(s_v4Destination, meta.Destination);
        Assert.Equal(64, meta.Ttl);
        Assert.Equal(IPProtocol.Udp, meta.Protocol);
        Assert.Equal(networkOffset + 20, meta.TransportOffset);
        Assert.Equal(networkOffset + 32, meta.NetworkEnd);
        Assert.True(meta.NetworkComplete);
        Assert.Equal(PayloadKind.Udp, meta.Kind);
        Assert.Equal(55555, meta.SourcePort);
        Assert.Equal(53, meta.DestinationPort);
        Assert.Equal(networkOffset + 28, meta.PayloadOffset);
        Assert.Equal(4, meta.PayloadLength);
        Assert.True(meta.HasPorts);
    }

    private static void AssertIPv6UdpSample(in PacketMeta meta, int networkOffset)
    {
        Assert.Equal(DecodeAnomaly.None, meta.Anomaly);
        Assert.Equal(6, meta.IPVersion);
        Assert.Equal(networkOffset, meta.NetworkOffset);
        Assert.Equal(s_v6Source, meta.Source);
        Assert.Equal(s_v6Destination, meta.Destination);
        Assert.Equal(64, meta.Ttl);
        Assert.Equal(IPProtocol.Udp, meta.Protocol);
        Assert.Equal(networkOffset + 40, meta.TransportOffset);
        Assert.Equal(networkOffset + 52, meta.NetworkEnd);
        Assert.Equal(PayloadKind.Udp, meta.Kind);
        Assert.Equal(55555, meta.SourcePort);
        Assert.Equal(53, meta.DestinationPort);
        Assert.Equal(networkOffset + 48, meta.PayloadOffset);
        Assert.Equal(4, meta.PayloadLength);
    }
}
