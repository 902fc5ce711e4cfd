namespace Visibility.Wire;

/// <summary>How an ESP or WESP packet was carried; the EVE <c>esp.encap</c> field.</summary>
public enum EspEncapsulation : byte
{
    None = 0,
    /// <summary>IP protocol 50.</summary>
    Esp = 1,
    /// <summary>UDP (RFC 3948), normally port 4500.</summary>
    Udp = 2,
    /// <summary>IP protocol 141 (RFC 5840).</summary>
    Wesp = 3,
    /// <summary>UDP with the 0x00000002 WESP identifier (RFC 5840 §3).</summary>
    WespUdp = 4,
}
