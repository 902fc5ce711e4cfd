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
}
