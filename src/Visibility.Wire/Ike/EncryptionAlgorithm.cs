namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Transform Type 1 (ENCR) Transform IDs, IANA "Transform Type 1 - Encryption Algorithm Transform IDs".</summary>
/// <remarks>RFC 7296 §3.3.2; AES-CTR RFC 5930; AES-CCM/GCM RFC 5282 §7.2; NULL_AUTH_AES_GMAC RFC 4543 §9;
/// Camellia RFC 5529; ChaCha20-Poly1305 RFC 7634 §6; the IIV variants RFC 8750. Wire parameters (IV, ICV, salt)
/// are in <see cref="IkeAlgorithms"/>.</remarks>
public enum EncryptionAlgorithm : ushort
{
    None = 0,
    DesIv64 = 1,
    Des = 2,
    TripleDes = 3,
    Rc5 = 4,
    Idea = 5,
    Cast = 6,
    Blowfish = 7,
    TripleIdea = 8,
    DesIv32 = 9,
    /// <summary>ENCR_NULL: ESP only; must not protect an IKE SA (RFC 8247 §2.1).</summary>
    EncrNull = 11,
    AesCbc = 12,
    AesCtr = 13,
    AesCcm8 = 14,
    AesCcm12 = 15,
    AesCcm16 = 16,
    AesGcm8 = 18,
    AesGcm12 = 19,
    AesGcm16 = 20,
    /// <summary>ENCR_NULL_AUTH_AES_GMAC: integrity only, the payload stays in clear (RFC 4543).</summary>
    NullAuthAesGmac = 21,
    CamelliaCbc = 23,
    CamelliaCtr = 24,
    CamelliaCcm8 = 25,
    CamelliaCcm12 = 26,
    CamelliaCcm16 = 27,
    ChaCha20Poly1305 = 28,
    AesCcm8Iiv = 29,
    AesGcm16Iiv = 30,
    ChaCha20Poly1305Iiv = 31,
}
