namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Transform Type 3 (INTEG) Transform IDs, IANA "Transform Type 3 - Integrity Algorithm Transform IDs".</summary>
/// <remarks>RFC 7296 §3.3.2; HMAC-SHA2 RFC 4868 §4; GMAC RFC 4543. ICV and key lengths are in
/// <see cref="IkeAlgorithms"/>.</remarks>
public enum IntegrityAlgorithm : ushort
{
    None = 0,
    HmacMd5_96 = 1,
    HmacSha1_96 = 2,
    DesMac = 3,
    KpdkMd5 = 4,
    AesXcbc96 = 5,
    HmacMd5_128 = 6,
    HmacSha1_160 = 7,
    AesCmac96 = 8,
    Aes128Gmac = 9,
    Aes192Gmac = 10,
    Aes256Gmac = 11,
    HmacSha2_256_128 = 12,
    HmacSha2_384_192 = 13,
    HmacSha2_512_256 = 14,
}
