namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Transform Type 2 (PRF) Transform IDs, IANA "Transform Type 2 - Pseudorandom Function Transform IDs".</summary>
/// <remarks>RFC 7296 §3.3.2; HMAC-SHA2 PRFs RFC 4868; AES-CMAC PRF RFC 4615.</remarks>
public enum PrfAlgorithm : ushort
{
    None = 0,
    HmacMd5 = 1,
    HmacSha1 = 2,
    HmacTiger = 3,
    Aes128Xcbc = 4,
    HmacSha2_256 = 5,
    HmacSha2_384 = 6,
    HmacSha2_512 = 7,
    Aes128Cmac = 8,
    HmacStreebog512 = 9,
}
