namespace Visibility.Engine.Esp;

/// <summary>A candidate (ICV length, IV length) pair for an ESP-NULL packet, in the order the probe tries them.</summary>
/// <remarks>RFC 5879 §8.1 Figure 2 lists the integrity algorithms usable with ENCR_NULL: 96-bit ICVs (HMAC-MD5-96,
/// HMAC-SHA1-96, AES-XCBC-96, AES-CMAC-96), HMAC-SHA2 with 128, 192 and 256 bits, and ENCR_NULL_AUTH_AES_GMAC with an
/// 8-octet IV and a 16-octet ICV (RFC 4543 §3). §8.2: try the shortest ICV first. <see cref="Icv0"/> (no integrity at
/// all) breaks RFC 4303 §3.2 but is seen in the wild, so it is tried last.</remarks>
public enum EspLayout : byte
{
    /// <summary>No layout (not decided, or the SA's lengths came from a WESP header).</summary>
    None = 0,
    Icv12 = 1,
    Icv16 = 2,
    /// <summary>ENCR_NULL_AUTH_AES_GMAC: 8-octet IV, 16-octet ICV.</summary>
    Gmac = 3,
    Icv24 = 4,
    Icv32 = 5,
    /// <summary>ENCR_NULL with integrity NONE: no ICV.</summary>
    Icv0 = 6,
}
