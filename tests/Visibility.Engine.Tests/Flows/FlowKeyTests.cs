using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Flows;

public sealed class FlowKeyTests
{
    private static readonly NetworkAddress s_a = NetworkAddress.Parse("192.0.2.1");
    private static readonly NetworkAddress s_b = NetworkAddress.Parse("198.51.100.7");

    [Fact]
    public void ForPorts_BothDirections_SameKey()
    {
        var forward = FlowKey.ForPorts(s_a, 40000, s_b, 443, IPProtocol.Tcp);
        var reverse = FlowKey.ForPorts(s_b, 443, s_a, 40000, IPProtocol.Tcp);
        Assert.Equal(forward, reverse);
        Assert.Equal(forward.GetHashCode(), reverse.GetHashCode());
    }

    [Fact]
    public void ForPorts_SameAddressDifferentPorts_OrderedByPort()
    {
        var forward = FlowKey.ForPorts(s_a, 500, s_a, 4500, IPProtocol.Udp);
        var reverse = FlowKey.ForPorts(s_a, 4500, s_a, 500, IPProtocol.Udp);
        Assert.Equal(forward, reverse);
    }

    [Fact]
    [Trait("rfc", "4303-2.1")]
    public void ForEsp_DirectionMatters_AnSaIsOneWay()
    {
        var ab = FlowKey.ForEsp(s_a, s_b, 0x1234, 0, 0, IPProtocol.Esp);
        var ba = FlowKey.ForEsp(s_b, s_a, 0x1234, 0, 0, IPProtocol.Esp);
        Assert.NotEqual(ab, ba);
    }

    [Fact]
    [Trait("rfc", "5879-3")]
    public void ForEsp_SameSpiDifferentDestination_DifferentFlows()
    {
        var one = FlowKey.ForEsp(s_a, s_b, 123, 0, 0, IPProtocol.Esp);
        var two = FlowKey.ForEsp(s_a, NetworkAddress.Parse("198.51.100.8"), 123, 0, 0, IPProtocol.Esp);
        Assert.NotEqual(one, two);
    }

    [Fact]
    public void ForEsp_UdpPortsArePartOfTheKey()
    {
        var one = FlowKey.ForEsp(s_a, s_b, 7, 4500, 4500, IPProtocol.Udp);
        var two = FlowKey.ForEsp(s_a, s_b, 7, 4501, 4500, IPProtocol.Udp);
        Assert.NotEqual(one, two);
    }

    [Fact]
    public void ForPorts_TcpAndUdpSameTuple_Differ()
    {
        Assert.NotEqual(FlowKey.ForPorts(s_a, 53, s_b, 53, IPProtocol.Tcp), FlowKey.ForPorts(s_a, 53, s_b, 53, IPProtocol.Udp));
    }

    [Fact]
    public void GetHashCode_EqualKeysBuiltApart_SameHash()
    {
        var one = FlowKey.ForEsp(NetworkAddress.Parse("2001:db8::1"), NetworkAddress.Parse("2001:db8::2"), 0xDEADBEEF, 4500, 4500, IPProtocol.Udp);
        var two = FlowKey.ForEsp(NetworkAddress.Parse("2001:db8::1"), NetworkAddress.Parse("2001:db8::2"), 0xDEADBEEF, 4500, 4500, IPProtocol.Udp);
        Assert.Equal(one, two);
        Assert.Equal(one.GetHashCode(), two.GetHashCode());
    }

    [Fact]
    public void Equals_IPv4AndItsMappedIPv6Form_Differ()
    {
        var v4 = FlowKey.ForPorts(s_a, 1, s_b, 2, IPProtocol.Udp);
        var mapped = FlowKey.ForPorts(NetworkAddress.Parse("::ffff:192.0.2.1"), 1, NetworkAddress.Parse("::ffff:198.51.100.7"), 2, IPProtocol.Udp);
        Assert.NotEqual(v4, mapped);
    }

    [Fact]
    public void Equals_EachFieldMatters()
    {
        var key = FlowKey.ForEsp(s_a, s_b, 7, 4500, 4500, IPProtocol.Udp);
        Assert.NotEqual(key, FlowKey.ForEsp(s_a, s_b, 8, 4500, 4500, IPProtocol.Udp));
        Assert.NotEqual(key, FlowKey.ForEsp(s_a, s_b, 7, 4500, 4501, IPProtocol.Udp));
        Assert.NotEqual(key, FlowKey.ForEsp(s_a, s_b, 7, 4500, 4500, IPProtocol.Esp));
        Assert.NotEqual(key, FlowKey.ForEsp(NetworkAddress.Parse("192.0.2.2"), s_b, 7, 4500, 4500, IPProtocol.Udp));
        // Same tuple as a port flow: IsEsp tells them apart.
        Assert.NotEqual(FlowKey.ForEsp(s_a, s_b, 0, 4500, 4500, IPProtocol.Udp), FlowKey.ForPorts(s_a, 4500, s_b, 4500, IPProtocol.Udp));
    }

    [Fact]
    public void GetHashCode_SequentialKeys_SpreadOverTableBuckets()
    {
        // The table uses the low bits: 65,536 keys differing in one address byte and the SPI must fill most of 65,536
        // buckets (a random function leaves about 1/e empty), not collapse into a few.
        const int Count = 1 << 16;
        var buckets = new bool[Count];
        for (int i = 0; i < Count; i++)
        {
            var key = FlowKey.ForEsp(NetworkAddress.FromIPv4(0x0A000000u + (uint)(i & 0xFF)), s_b, (uint)(i >> 8), 0, 0, IPProtocol.Esp);
            buckets[key.GetHashCode() & (Count - 1)] = true;
        }
        int used = buckets.Count(b => b);
        Assert.InRange(used, 0.6 * Count, Count);
    }
}
