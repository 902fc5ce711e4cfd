using Visibility.Wire.Decoding;

namespace Visibility.Wire.Tests.Decoding;

public sealed class VlanTagTests
{
    [Fact]
    public void TryRead_TagControlInformation_SplitsPriorityDropEligibleAndId()
    {
        byte[] bytes = Hex.Parse("b0 64 86 dd"); // PCP 5, DEI 1, VLAN 100, EtherType IPv6

        Assert.True(VlanTag.TryRead(bytes, out VlanTag tag));
        Assert.Equal(5, tag.Priority);
        Assert.True(tag.DropEligible);
        Assert.Equal(100, tag.VlanId);
        Assert.Equal(0x86dd, tag.EtherType);
    }

    [Theory]
    [InlineData(0x8100, true)]
    [InlineData(0x88a8, true)]
    [InlineData(0x9100, true)]
    [InlineData(0x0800, false)]
    [InlineData(0x9200, false)]
    public void IsTagProtocol_KnownTpids_AreTags(int etherType, bool expected)
    {
        Assert.Equal(expected, VlanTag.IsTagProtocol((ushort)etherType));
    }

    [Fact]
    public void TryRead_ThreeOctets_Fails()
    {
        Assert.False(VlanTag.TryRead(new byte[3], out _));
    }
}
