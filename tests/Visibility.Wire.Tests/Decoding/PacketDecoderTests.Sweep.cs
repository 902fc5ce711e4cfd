namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    /// <summary>Anomalies that say "fewer octets than the headers need": what a prefix of a good frame may raise.</summary>
    private static readonly HashSet<DecodeAnomaly> s_tooSmallAnomalies =
    [
        DecodeAnomaly.LinkPacketTooSmall, DecodeAnomaly.EthernetPacketTooSmall, DecodeAnomaly.VlanHeaderTooSmall,
        DecodeAnomaly.SllPacketTooSmall, DecodeAnomaly.NullPacketTooSmall, DecodeAnomaly.IPv4PacketTooSmall,
        DecodeAnomaly.IPv6PacketTooSmall, DecodeAnomaly.IPv6ExtensionHeaderTruncated, DecodeAnomaly.AhPacketTooSmall,
        DecodeAnomaly.TcpPacketTooSmall, DecodeAnomaly.UdpPacketTooSmall, DecodeAnomaly.IcmpPacketTooSmall,
        DecodeAnomaly.IcmpV6PacketTooSmall, DecodeAnomaly.EspPacketTooSmall,
    ];

    private static readonly HashSet<DecodeAnomaly> s_truncatedAnomalies = [DecodeAnomaly.IPv4Truncated, DecodeAnomaly.IPv6Truncated];

    /// <summary>Every prefix of every capture frame, decoded two ways.</summary>
    /// <remarks>
    /// <para>As a whole frame (original length = prefix length): the sender sent only these octets. A prefix that
    /// ends inside the headers must raise a too-small anomaly; one that holds the headers but not the whole IP
    /// datagram contradicts the IP length field and must raise ipv4/ipv6 truncated; one that holds the whole
    /// datagram must decode exactly as the full frame.</para>
    /// <para>As cut by the snap length (original length = the frame's): the capture kept only these octets. Headers
    /// that are incomplete still cannot be decoded (too-small anomaly, never "truncated", since the IP length is
    /// consistent with the wire); once the headers are in, the prefix decodes as the full frame with the datagram
    /// marked incomplete and the payload clamped, and no anomaly.</para>
    /// </remarks>
    [Theory]
    [MemberData(nameof(CaptureNames))]
    public void Decode_EveryPrefixOfEveryCaptureFrame_DegradesAsSpecified(string capture)
    {
        CaptureFile file = CaptureCorpus.Get(capture);
        foreach (CapturedFrame frame in file.Frames)
        {
            SweepPrefixes($"{capture} frame {frame.FrameNumber}", frame.Data, file.LinkType, frame.OriginalLength);
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Decode_EveryPrefixOfEverySample_DegradesAsSpecified(string sample)
    {
        (_, LinkType linkType, byte[] frame) = DecoderSamples.Get(sample);
        SweepPrefixes(sample, frame, linkType, frame.Length);
    }

    public static TheoryData<string> SampleNames() => DecoderSamples.Names();

    private static void SweepPrefixes(string name, byte[] data, LinkType linkType, int originalLength)
    {
        var full = default(PacketMeta);
        PacketDecoder.Decode(data, linkType, originalLength, ref full);
        bool clean = full.Anomaly == DecodeAnomaly.None;
        int required = clean ? RequiredLength(full) : 0;
        bool datagramFits(int p) => full.IPVersion == 0 || (full.NetworkComplete && p >= full.NetworkEnd);

        var meta = default(PacketMeta);
        for (int p = 0; p <= data.Length; p++)
        {
            ReadOnlySpan<byte> prefix = data.AsSpan(0, p);

            PacketDecoder.Decode(prefix, linkType, p, ref meta);
            AssertInBounds(meta, p, name);
            if (clean)
            {
                if (p >= required && datagramFits(p))
                {
                    PacketMeta expected = full;
                    expected.CapturedLength = p;
                    expected.OriginalLength = p;
                    AssertSame(expected, meta, name, p, "whole");
                }
                else if (p >= required)
                {
                    AssertAnomalyIn(s_truncatedAnomalies, meta, name, p, "whole");
                }
                else if (!s_tooSmallAnomalies.Contains(meta.Anomaly))
                {
                    AssertAnomalyIn(s_truncatedAnomalies, meta, name, p, "whole");
                }
            }

            PacketDecoder.Decode(prefix, linkType, originalLength, ref meta);
            AssertInBounds(meta, p, name);
            if (clean)
            {
                if (p >= required)
                {
                    AssertSame(Clamped(full, p), meta, name, p, "snap-cut");
                }
                else
                {
                    AssertAnomalyIn(s_tooSmallAnomalies, meta, name, p, "snap-cut");
                }
            }
        }
    }

    /// <summary>How many octets the decoder reads to produce <paramref name="full"/>: the end of the deepest header.</summary>
    private static int RequiredLength(in PacketMeta full)
    {
        if (full.IsFragment)
        {
            return full.FragmentPayloadOffset;
        }
        return full.Kind switch
        {
            PayloadKind.Tcp or PayloadKind.Udp or PayloadKind.Icmp or PayloadKind.IcmpV6 => full.PayloadOffset,
            PayloadKind.Esp => full.EspOffset + 8,
            PayloadKind.Ike => full.IkeOffset,
            PayloadKind.NatKeepalive => full.PayloadOffset + 1,
            PayloadKind.Wesp => full.WespOffset,
            PayloadKind.OtherIP => full.TransportOffset,
            _ => LinkHeaderLength(full.LinkType) + 4 * full.VlanCount,
        };
    }

    private static int LinkHeaderLength(LinkType linkType) => linkType switch
    {
        LinkType.Ethernet => 14,
        LinkType.Null or LinkType.Loop => 4,
        LinkType.LinuxSll => 16,
        LinkType.LinuxSll2 => 20,
        _ => 0,
    };

    /// <summary>The full decoding as a snap length of <paramref name="captured"/> octets would leave it.</summary>
    private static PacketMeta Clamped(PacketMeta full, int captured)
    {
        full.CapturedLength = captured;
        if (full.IPVersion != 0)
        {
            full.NetworkComplete = full.NetworkComplete && captured >= full.NetworkEnd;
            full.NetworkEnd = Math.Min(full.NetworkEnd, captured);
        }
        if (full.Kind != PayloadKind.None)
        {
            full.PayloadLength = Math.Max(0, Math.Min(full.PayloadOffset + full.PayloadLength, captured) - full.PayloadOffset);
        }
        return full;
    }

    private static void AssertSame(in PacketMeta expected, in PacketMeta actual, string name, int p, string mode)
    {
        if (!PacketMetaEquality.Same(expected, actual))
        {
            Assert.Fail($"{name}, {mode} prefix {p}: decoded as {Describe(actual)}, expected {Describe(expected)}");
        }
    }

    private static void AssertAnomalyIn(HashSet<DecodeAnomaly> allowed, in PacketMeta meta, string name, int p, string mode)
    {
        if (!allowed.Contains(meta.Anomaly))
        {
            Assert.Fail($"{name}, {mode} prefix {p}: anomaly {meta.Anomaly}, expected one of {string.Join(", ", allowed)}");
        }
    }

    /// <summary>Every offset the decoder reports stays inside the captured bytes.</summary>
    private static void AssertInBounds(in PacketMeta meta, int captured, string name)
    {
        bool ok = meta.CapturedLength == captured && meta.OriginalLength >= captured;
        if (meta.IPVersion != 0)
        {
            ok &= meta.NetworkOffset >= 0 && meta.NetworkOffset <= meta.NetworkEnd && meta.NetworkEnd <= captured;
            ok &= meta.TransportOffset >= 0 && meta.TransportOffset <= captured;
            ok &= meta.FragmentPayloadOffset >= 0 && meta.FragmentPayloadOffset <= captured;
        }
        if (meta.Kind != PayloadKind.None)
        {
            ok &= meta.PayloadOffset >= 0 && meta.PayloadLength >= 0 && meta.PayloadOffset + meta.PayloadLength <= captured;
        }
        if (meta.Kind == PayloadKind.Esp)
        {
            ok &= meta.EspOffset >= 0 && meta.EspOffset + 8 <= captured && meta.EspLength >= 8;
        }
        if (meta.Kind == PayloadKind.Ike)
        {
            ok &= meta.IkeOffset >= 0 && meta.IkeOffset <= captured && meta.IkeLength >= 0;
        }
        if (meta.Kind == PayloadKind.Wesp)
        {
            ok &= meta.WespOffset >= 0 && meta.WespOffset <= captured;
        }
        if (!ok)
        {
            Assert.Fail($"{name}, {captured} octets: offsets out of bounds in {Describe(meta)}");
        }
    }

    private static string Describe(in PacketMeta m) =>
        $"{{anomaly {m.Anomaly}, kind {m.Kind}, ip {m.IPVersion} @{m.NetworkOffset}..{m.NetworkEnd} complete {m.NetworkComplete}, " +
        $"proto {m.Protocol} @{m.TransportOffset}, frag {m.IsFragment} @{m.FragmentPayloadOffset}, ports {m.SourcePort}->{m.DestinationPort}, " +
        $"payload @{m.PayloadOffset}+{m.PayloadLength}, esp {m.Encapsulation} spi {m.Spi} @{m.EspOffset}+{m.EspLength}, " +
        $"ike @{m.IkeOffset}+{m.IkeLength}, wesp @{m.WespOffset}, vlan {m.VlanCount}, captured {m.CapturedLength}/{m.OriginalLength}}}";
}
