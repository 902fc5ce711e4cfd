namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Security Protocol Identifier (proposals, Notify, Delete), IANA "IKEv2 Security Protocol Identifiers".</summary>
/// <remarks>RFC 7296 §3.3.1; 4-5 RFC 4595; 6 group IKEv2. Notify uses 0 when no SPI is carried.</remarks>
public enum ProtocolId : byte
{
    None = 0,
    Ike = 1,
    Ah = 2,
    Esp = 3,
    FcEspHeader = 4,
    FcCtAuthentication = 5,
    GikeUpdate = 6,
}
