namespace Visibility.Inspection.Abstractions;

/// <summary>The protocol of an <see cref="InspectedPacket"/>: of the inner packet when it came out of ESP-NULL or
/// WESP, else of the packet itself.</summary>
/// <remarks><see cref="Esp"/> is the ESP/WESP packet (its payload starts at the SPI), <see cref="Ike"/> an IKE
/// message (its payload starts at the IKE header).</remarks>
public enum InspectedProtocol : byte
{
    /// <summary>An IP packet whose upper protocol is none of the others, or a frame with no IP at all.</summary>
    Other = 0,
    Tcp = 1,
    Udp = 2,
    /// <summary>ICMPv4 or ICMPv6.</summary>
    Icmp = 3,
    Esp = 4,
    Ike = 5,
}
