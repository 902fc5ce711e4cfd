namespace Visibility.IkePeer.Config;

/// <summary>How Child SA packets travel when NAT detection finds no NAT (<c>--esp-transport</c>).</summary>
internal enum EspTransport
{
    /// <summary>Always UDP-encapsulated on port 4500 (RFC 3948): the peer fakes its NAT_DETECTION_SOURCE_IP hash so
    /// that the other side floats too, as strongSwan's kernel-libipsec does.</summary>
    Udp = 0,

    /// <summary>Plain IP protocol 50 (ESP) or 141 (WESP) through raw sockets when no NAT is detected, IKE staying on
    /// port 500 (RFC 7296 §2.23); UDP 4500 when a NAT is detected.</summary>
    Raw = 1,
}
