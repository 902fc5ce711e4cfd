namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Certificate Encoding (CERT and CERTREQ payload octet 4), IANA "IKEv2 Certificate Encodings".</summary>
/// <remarks>RFC 7296 §3.6; Raw Public Key RFC 7670.</remarks>
public enum CertificateEncoding : byte
{
    None = 0,
    Pkcs7WrappedX509 = 1,
    Pgp = 2,
    DnsSignedKey = 3,
    X509Signature = 4,
    KerberosToken = 6,
    CertificateRevocationList = 7,
    AuthorityRevocationList = 8,
    Spki = 9,
    X509Attribute = 10,
    RawRsaKey = 11,
    HashAndUrlX509Certificate = 12,
    HashAndUrlX509Bundle = 13,
    OcspContent = 14,
    RawPublicKey = 15,
}
