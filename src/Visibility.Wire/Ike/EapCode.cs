namespace Visibility.Wire.Ike;

/// <summary>EAP Code (first octet of an EAP message carried in the IKEv2 EAP payload).</summary>
/// <remarks>RFC 3748 §4; RFC 7296 §3.16.</remarks>
public enum EapCode : byte
{
    None = 0,
    Request = 1,
    Response = 2,
    Success = 3,
    Failure = 4,
}
