namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Traffic Selector Type, IANA "IKEv2 Traffic Selector Types".</summary>
/// <remarks>RFC 7296 §3.13.1 (7, 8); TS_FC_ADDR_RANGE RFC 4595; TS_SECLABEL RFC 9478.</remarks>
public enum TrafficSelectorType : byte
{
    None = 0,
    IPv4AddressRange = 7,
    IPv6AddressRange = 8,
    FcAddressRange = 9,
    SecurityLabel = 10,
}
