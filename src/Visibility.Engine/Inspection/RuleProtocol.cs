namespace Visibility.Engine.Inspection;

/// <summary>The protocol field of a rule header.</summary>
/// <remarks><c>ip</c> sees every packet; <c>udp</c> also sees IKE messages and UDP-encapsulated ESP/WESP, which
/// are UDP datagrams on the wire; <c>icmp</c> is ICMPv4 and ICMPv6.</remarks>
public enum RuleProtocol : byte
{
    Ip = 0,
    Tcp = 1,
    Udp = 2,
    Icmp = 3,
    Esp = 4,
    Ike = 5,
}
