namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Identification Type (IDi/IDr payload octet 4), IANA "IKEv2 Identification Payload ID Types".</summary>
/// <remarks>RFC 7296 §3.5; ID_FC_NAME RFC 4595; ID_NULL RFC 7619.</remarks>
public enum IdType : byte
{
    None = 0,
    IPv4Address = 1,
    Fqdn = 2,
    Rfc822Address = 3,
    IPv6Address = 5,
    DerAsn1Dn = 9,
    DerAsn1Gn = 10,
    KeyId = 11,
    FcName = 12,
    Null = 13,
}
