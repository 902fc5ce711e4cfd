namespace Visibility.Wire.Ike;

/// <summary>Gateway Identity Type of the REDIRECT and REDIRECTED_FROM notify data.</summary>
/// <remarks>RFC 5685 §9.2, §12: 1 IPv4, 2 IPv6, 3 FQDN (REDIRECT only); 0 reserved, 241-255 private use.</remarks>
public enum GatewayIdentityType : byte
{
    None = 0,
    IPv4Address = 1,
    IPv6Address = 2,
    Fqdn = 3,
}
