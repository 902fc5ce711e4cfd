namespace Visibility.Inspection.Abstractions;

/// <summary>What the sensor believes about the SA a packet travelled on (EVE <c>esp.verdict</c>).</summary>
public enum EspSaVerdict : byte
{
    Unknown = 0,
    /// <summary>ESP-NULL (RFC 4303 with ENCR_NULL), or WESP with the Encrypted flag clear: the payload is cleartext.</summary>
    Null = 1,
    Encrypted = 2,
}
