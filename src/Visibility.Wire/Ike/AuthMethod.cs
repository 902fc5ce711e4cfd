namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Authentication Method (AUTH payload octet 4), IANA "IKEv2 Authentication Method".</summary>
/// <remarks>RFC 7296 §3.8 (1-3); ECDSA RFC 4754 (9-11); Generic Secure Password RFC 6467 §6 (12); NULL
/// authentication RFC 7619 (13); Digital Signature RFC 7427 §3 (14).</remarks>
public enum AuthMethod : byte
{
    None = 0,
    RsaDigitalSignature = 1,
    SharedKeyMessageIntegrityCode = 2,
    DssDigitalSignature = 3,
    EcdsaSha256P256 = 9,
    EcdsaSha384P384 = 10,
    EcdsaSha512P521 = 11,
    GenericSecurePassword = 12,
    NullAuthentication = 13,
    DigitalSignature = 14,
}
