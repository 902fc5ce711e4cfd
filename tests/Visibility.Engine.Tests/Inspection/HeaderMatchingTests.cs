using Visibility.Engine.Inspection;
using Visibility.Wire;
using static Visibility.Engine.Tests.Inspection.RuleHarness;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>Rule headers: protocols, address and port specifications, negation, lists, variables, direction.</summary>
public sealed class HeaderMatchingTests
{
    private static readonly Dictionary<string, string> s_variables = new()
    {
        ["HOME_NET"] = "[10.0.0.0/8, 2001:db8::/32]",
        ["EXTERNAL_NET"] = "!$HOME_NET",
        ["DMZ"] = "[$HOME_NET, !10.9.0.0/16]",
        ["WEB"] = "[80, 443]",
        ["HIGH"] = "1024:",
    };

    private static bool HeaderMatches(string header, string source, ushort sourcePort, string destination, ushort destinationPort,
        InspectionProtocol protocol = InspectionProtocol.Tcp)
    {
        RuleSet set = Compile($"{header} (sid:1;)", s_variables);
        var spec = new ContextSpec
        {
            Protocol = protocol,
            Source = NetworkAddress.Parse(source),
            Destination = NetworkAddress.Parse(destination),
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
        };
        return Match(set, spec).Length == 1;
    }

    [Theory]
    [InlineData("alert tcp any any -> any any", "1.2.3.4", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp 10.0.0.0/8 any -> any any", "10.200.0.1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp 10.0.0.0/8 any -> any any", "11.0.0.1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp 10.0.0.5 any -> any any", "10.0.0.5", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp 10.0.0.5-10.0.0.7 any -> any any", "10.0.0.7", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp 10.0.0.5-10.0.0.7 any -> any any", "10.0.0.8", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp 10.1.0.0/255.255.0.0 any -> any any", "10.1.9.9", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp !10.0.0.0/8 any -> any any", "10.0.0.1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp !10.0.0.0/8 any -> any any", "11.0.0.1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp [10.0.0.0/8,!10.1.0.0/16] any -> any any", "10.1.2.3", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp [10.0.0.0/8,!10.1.0.0/16] any -> any any", "10.2.2.3", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp [!10.0.0.0/8] any -> any any", "192.0.2.1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp ![10.0.0.0/8,192.0.2.0/24] any -> any any", "192.0.2.1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp [10.0.0.0/8,![10.1.0.0/16,!10.1.1.0/24]] any -> any any", "10.1.1.1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp [10.0.0.0/8,![10.1.0.0/16,!10.1.1.0/24]] any -> any any", "10.1.2.1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp 2001:db8::/32 any -> any any", "2001:db8:1::1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp 2001:db8::/32 any -> any any", "2001:db9::1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp 0.0.0.0/0 any -> any any", "2001:db8::1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp !0.0.0.0/0 any -> any any", "2001:db8::1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp ::/0 any -> any any", "2001:db8::1", 1, "5.6.7.8", 2, true)]
    // variables, nested and negated
    [InlineData("alert tcp $HOME_NET any -> any any", "2001:db8::1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp $EXTERNAL_NET any -> any any", "10.0.0.1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp $EXTERNAL_NET any -> any any", "8.8.8.8", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp !$EXTERNAL_NET any -> any any", "10.0.0.1", 1, "5.6.7.8", 2, true)]
    [InlineData("alert tcp $DMZ any -> any any", "10.9.0.1", 1, "5.6.7.8", 2, false)]
    [InlineData("alert tcp $DMZ any -> any any", "10.8.0.1", 1, "5.6.7.8", 2, true)]
    // ports
    [InlineData("alert tcp any any -> any 80", "1.2.3.4", 1, "5.6.7.8", 80, true)]
    [InlineData("alert tcp any any -> any 80", "1.2.3.4", 80, "5.6.7.8", 81, false)]
    [InlineData("alert tcp any any -> any 1000:2000", "1.2.3.4", 1, "5.6.7.8", 2000, true)]
    [InlineData("alert tcp any any -> any 1000:2000", "1.2.3.4", 1, "5.6.7.8", 2001, false)]
    [InlineData("alert tcp any any -> any 1000:", "1.2.3.4", 1, "5.6.7.8", 65535, true)]
    [InlineData("alert tcp any any -> any :1000", "1.2.3.4", 1, "5.6.7.8", 0, true)]
    [InlineData("alert tcp any any -> any :1000", "1.2.3.4", 1, "5.6.7.8", 1001, false)]
    [InlineData("alert tcp any any -> any !80", "1.2.3.4", 1, "5.6.7.8", 80, false)]
    [InlineData("alert tcp any any -> any !80", "1.2.3.4", 1, "5.6.7.8", 8080, true)]
    [InlineData("alert tcp any any -> any [1:100,!50]", "1.2.3.4", 1, "5.6.7.8", 50, false)]
    [InlineData("alert tcp any any -> any [1:100,!50]", "1.2.3.4", 1, "5.6.7.8", 51, true)]
    [InlineData("alert tcp any any -> any $WEB", "1.2.3.4", 1, "5.6.7.8", 443, true)]
    [InlineData("alert tcp any any -> any ![$WEB,8080]", "1.2.3.4", 1, "5.6.7.8", 8080, false)]
    [InlineData("alert tcp any $HIGH -> any $WEB", "1.2.3.4", 1023, "5.6.7.8", 80, false)]
    // direction
    [InlineData("alert tcp 10.0.0.1 any -> 10.0.0.2 80", "10.0.0.2", 80, "10.0.0.1", 5555, false)]
    [InlineData("alert tcp 10.0.0.1 any <> 10.0.0.2 80", "10.0.0.2", 80, "10.0.0.1", 5555, true)]
    [InlineData("alert tcp 10.0.0.1 any <> 10.0.0.2 80", "10.0.0.1", 5555, "10.0.0.2", 80, true)]
    [InlineData("alert tcp 10.0.0.1 any <> 10.0.0.2 80", "10.0.0.2", 81, "10.0.0.1", 5555, false)]
    public void Header_Table_Matches(string header, string source, ushort sourcePort, string destination, ushort destinationPort, bool expected) =>
        Assert.Equal(expected, HeaderMatches(header, source, sourcePort, destination, destinationPort));

    [Theory]
    [InlineData("ip", InspectionProtocol.Tcp, true)]
    [InlineData("ip", InspectionProtocol.Esp, true)]
    [InlineData("ip", InspectionProtocol.Other, true)]
    [InlineData("tcp", InspectionProtocol.Tcp, true)]
    [InlineData("tcp", InspectionProtocol.Udp, false)]
    [InlineData("udp", InspectionProtocol.Udp, true)]
    [InlineData("udp", InspectionProtocol.Ike, true)]
    [InlineData("udp", InspectionProtocol.Esp, false)]
    [InlineData("icmp", InspectionProtocol.Icmp, true)]
    [InlineData("icmp", InspectionProtocol.Tcp, false)]
    [InlineData("esp", InspectionProtocol.Esp, true)]
    [InlineData("esp", InspectionProtocol.Udp, false)]
    [InlineData("ike", InspectionProtocol.Ike, true)]
    [InlineData("ike", InspectionProtocol.Udp, false)]
    public void Header_Protocol_SeesItsPackets(string protocol, InspectionProtocol packet, bool expected) =>
        Assert.Equal(expected, Match($"alert {protocol} any any -> any any (sid:1;)", new ContextSpec { Protocol = packet }).Length == 1);

    [Fact]
    public void Header_UdpRule_SeesUdpEncapsulatedEspOnly()
    {
        var esp = new ContextSpec { Protocol = InspectionProtocol.Esp, Encapsulation = EspEncapsulation.Udp, SourcePort = 4500, DestinationPort = 4500 };
        Assert.Single(Match("alert udp any any -> any 4500 (sid:1;)", esp));
        Assert.Empty(Match("alert udp any any -> any any (sid:1;)", esp with { Encapsulation = EspEncapsulation.Esp }));
    }

    [Fact]
    public void Header_PortRuleOnPacketWithoutPorts_NeverMatches()
    {
        var icmp = new ContextSpec { Protocol = InspectionProtocol.Icmp };
        Assert.Empty(Match("alert ip any any -> any !80 (sid:1;)", icmp));
        Assert.Single(Match("alert ip any any -> any any (sid:1;)", icmp));
    }

    [Fact]
    public void Header_PacketWithoutAddress_MatchesOnlyAny()
    {
        var frame = new ContextSpec { Protocol = InspectionProtocol.Other };
        Assert.Single(Match("alert ip any any -> any any (sid:1;)", frame));
        Assert.Empty(Match("alert ip !10.0.0.0/8 any -> any any (sid:1;)", frame));
    }
}
