namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Configuration Payload CFG Type (CP payload octet 4).</summary>
/// <remarks>RFC 7296 §3.15.</remarks>
public enum ConfigurationType : byte
{
    None = 0,
    Request = 1,
    Reply = 2,
    Set = 3,
    Ack = 4,
}
