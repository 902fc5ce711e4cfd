using FsCheck.Xunit;

namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    [Theory]
    [MemberData(nameof(CaptureNames))]
    public void TryReadAddresses_EveryPrefixOfEveryCaptureFrame_AgreesWithDecode(string capture)
    {
        CaptureFile file = CaptureCorpus.Get(capture);
        foreach (CapturedFrame frame in file.Frames)
        {
            for (int p = 0; p <= frame.Data.Length; p++)
            {
                AssertAddressesAgree($"{capture} frame {frame.FrameNumber} prefix {p}", frame.Data.AsSpan(0, p), file.LinkType);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void TryReadAddresses_EveryPrefixOfEverySample_AgreesWithDecode(string sample)
    {
        (_, LinkType linkType, byte[] frame) = DecoderSamples.Get(sample);
        for (int p = 0; p <= frame.Length; p++)
        {
            AssertAddressesAgree($"{sample} prefix {p}", frame.AsSpan(0, p), linkType);
        }
    }

    [Fact]
    public void TryReadAddresses_QinQIPv4_ReadsTheIPHeaderBehindTwoTags()
    {
        byte[] frame = Convert.FromHexString(
            "ffffffffffff" + "020000000001" + "88a8" // 0: Ethernet, S-tag TPID
            + "0064" + "8100" // 14: VLAN 100, C-tag TPID
            + "00c8" + "0800" // 18: VLAN 200, IPv4
            + "4500001c00000000401100000a0000010a000002" // 22: IPv4 10.0.0.1 -> 10.0.0.2, UDP
            + "1f401f4000080000"); // 42: UDP 8000 -> 8000
        Assert.True(PacketDecoder.TryReadAddresses(frame, LinkType.Ethernet, out NetworkAddress source, out NetworkAddress destination));
        Assert.Equal("10.0.0.1", source.ToString());
        Assert.Equal("10.0.0.2", destination.ToString());
    }

    [Property(MaxTest = 2000)]
    public void TryReadAddresses_RandomBytesUnderEveryLinkType_AgreesWithDecode(byte[] bytes, byte linkChoice)
    {
        bytes ??= [];
        foreach (LinkType linkType in s_linkTypes)
        {
            AssertAddressesAgree("random", bytes, linkType);
        }
        AssertAddressesAgree("random", bytes, (LinkType)linkChoice);
    }

    private static void AssertAddressesAgree(string name, ReadOnlySpan<byte> frame, LinkType linkType)
    {
        var meta = default(PacketMeta);
        PacketDecoder.Decode(frame, linkType, frame.Length, ref meta);
        bool read = PacketDecoder.TryReadAddresses(frame, linkType, out NetworkAddress source, out NetworkAddress destination);
        Assert.True(read == (meta.IPVersion != 0), $"{name}: read {read}, decoded IP version {meta.IPVersion}");
        Assert.Equal(meta.IPVersion != 0 ? meta.Source : default, source);
        Assert.Equal(meta.IPVersion != 0 ? meta.Destination : default, destination);
    }
}
