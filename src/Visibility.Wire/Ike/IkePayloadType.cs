namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Payload Type (Next Payload field), IANA "IKEv2 Payload Types".</summary>
/// <remarks>RFC 7296 §3.2 (33-48); GSPM 49 from RFC 6467 §6; IDg/GSA/KD 50-52 from group IKEv2; SKF 53 from
/// RFC 7383 §2.5; PS 54 from RFC 8019. 1-32 are not used by IKEv2 (IKEv1 overlap). EVE names use RFC 7296's
/// short notation, see <see cref="IkeNames.GetName(IkePayloadType)"/>.</remarks>
public enum IkePayloadType : byte
{
    /// <summary>No Next Payload: the chain ends.</summary>
    None = 0,
    SecurityAssociation = 33,
    KeyExchange = 34,
    IdentificationInitiator = 35,
    IdentificationResponder = 36,
    Certificate = 37,
    CertificateRequest = 38,
    Authentication = 39,
    Nonce = 40,
    Notify = 41,
    Delete = 42,
    VendorId = 43,
    TrafficSelectorInitiator = 44,
    TrafficSelectorResponder = 45,
    /// <summary>SK: Encrypted and Authenticated; always the last payload, its Next Payload is the first inner payload.</summary>
    Encrypted = 46,
    Configuration = 47,
    Eap = 48,
    GenericSecurePasswordMethod = 49,
    GroupIdentification = 50,
    GroupSecurityAssociation = 51,
    KeyDownload = 52,
    /// <summary>SKF: Encrypted and Authenticated Fragment (RFC 7383); always the last payload.</summary>
    EncryptedFragment = 53,
    PuzzleSolution = 54,
}
