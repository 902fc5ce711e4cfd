namespace Visibility.Wire;

/// <summary>IANA "Assigned Internet Protocol Numbers" used by the decoder.</summary>
public enum IPProtocol : byte
{
    HopByHop = 0,
    Icmp = 1,
    IPv4 = 4,
    Tcp = 6,
    Udp = 17,
    IPv6 = 41,
    Routing = 43,
    Fragment = 44,
    Esp = 50,
    Ah = 51,
    IcmpV6 = 58,
    NoNextHeader = 59,
    DestinationOptions = 60,
    Sctp = 132,
    Wesp = 141,
}
