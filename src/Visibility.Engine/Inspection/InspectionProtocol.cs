namespace Visibility.Engine.Inspection;

/// <summary>What an <see cref="InspectionContext"/> shows to the rules: the protocol of the inspected packet.</summary>
/// <remarks>For a packet that came out of ESP-NULL or WESP this is the protocol of the inner packet; for anything
/// else the packet itself. <see cref="Esp"/> is the ESP/WESP packet (its payload starts at the SPI) and
/// <see cref="Ike"/> an IKE message (its payload starts at the IKE header).</remarks>
public enum InspectionProtocol : byte
{
    /// <summary>An IP packet whose upper protocol is none of the others, or a frame with no IP at all
    /// (only <c>ip</c> rules, such as decode-event rules, see it).</summary>
    Other = 0,
    Tcp = 1,
    Udp = 2,
    /// <summary>ICMPv4 or ICMPv6, as <c>icmp</c> in Suricata.</summary>
    Icmp = 3,
    Esp = 4,
    Ike = 5,
}
