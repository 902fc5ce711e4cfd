namespace Visibility.Wire.Ike;

/// <summary>Wire and key parameters of the IKEv2 transforms used to protect SK payloads.</summary>
/// <remarks>
/// Sources (protocol-facts §1.5, §4.7, §4.12): AES-CBC IV = block = 16 (RFC 3602, RFC 7296 §3.14); AES-CTR IV 8,
/// keying material = key + 4-octet nonce (RFC 5930 §2, §3); AES-GCM IV 8, keying material = key + 4-octet salt,
/// ICV 8/12/16 (RFC 5282 §3, §7.1); AES-CCM salt 3; ChaCha20-Poly1305 salt 4, ICV 16 (RFC 7634); HMAC ICVs and keys
/// (RFC 4868 §4, RFC 7296 §3.3.2). Methods return 0 for transforms they do not know.
/// </remarks>
public static class IkeAlgorithms
{
    /// <summary>True for combined-mode (AEAD) ciphers, which carry their own ICV and use no INTEG transform.</summary>
    public static bool IsAead(EncryptionAlgorithm encryption) => encryption is
        EncryptionAlgorithm.AesCcm8 or EncryptionAlgorithm.AesCcm12 or EncryptionAlgorithm.AesCcm16
        or EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16
        or EncryptionAlgorithm.NullAuthAesGmac or EncryptionAlgorithm.CamelliaCcm8 or EncryptionAlgorithm.CamelliaCcm12
        or EncryptionAlgorithm.CamelliaCcm16 or EncryptionAlgorithm.ChaCha20Poly1305 or EncryptionAlgorithm.AesCcm8Iiv
        or EncryptionAlgorithm.AesGcm16Iiv or EncryptionAlgorithm.ChaCha20Poly1305Iiv;

    /// <summary>ICV octets of a combined-mode cipher; 0 for other ciphers.</summary>
    public static int GetAeadIcvLength(EncryptionAlgorithm encryption) => encryption switch
    {
        EncryptionAlgorithm.AesCcm8 or EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.CamelliaCcm8 or EncryptionAlgorithm.AesCcm8Iiv => 8,
        EncryptionAlgorithm.AesCcm12 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.CamelliaCcm12 => 12,
        EncryptionAlgorithm.AesCcm16 or EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.CamelliaCcm16
            or EncryptionAlgorithm.NullAuthAesGmac or EncryptionAlgorithm.ChaCha20Poly1305
            or EncryptionAlgorithm.AesGcm16Iiv or EncryptionAlgorithm.ChaCha20Poly1305Iiv => 16,
        _ => 0,
    };

    /// <summary>IV octets carried in each SK payload.</summary>
    public static int GetIvLength(EncryptionAlgorithm encryption) => encryption switch
    {
        EncryptionAlgorithm.EncrNull => 0,
        EncryptionAlgorithm.Des or EncryptionAlgorithm.TripleDes or EncryptionAlgorithm.Cast
            or EncryptionAlgorithm.Blowfish or EncryptionAlgorithm.Idea => 8,
        EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.CamelliaCbc => 16,
        EncryptionAlgorithm.AesCtr or EncryptionAlgorithm.CamelliaCtr => 8,
        _ when IsAead(encryption) => 8,
        _ => 0,
    };

    /// <summary>Alignment of the encrypted part (payloads + padding + Pad Length): the cipher block for CBC, 1 otherwise.</summary>
    public static int GetBlockSize(EncryptionAlgorithm encryption) => encryption switch
    {
        EncryptionAlgorithm.Des or EncryptionAlgorithm.TripleDes or EncryptionAlgorithm.Cast
            or EncryptionAlgorithm.Blowfish or EncryptionAlgorithm.Idea => 8,
        EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.CamelliaCbc => 16,
        _ => 1,
    };

    /// <summary>Salt or nonce octets appended to the cipher key in SK_e (GCM/CTR 4, CCM 3, ChaCha20 4).</summary>
    public static int GetSaltLength(EncryptionAlgorithm encryption) => encryption switch
    {
        EncryptionAlgorithm.AesCtr or EncryptionAlgorithm.CamelliaCtr => 4,
        EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16
            or EncryptionAlgorithm.NullAuthAesGmac or EncryptionAlgorithm.ChaCha20Poly1305
            or EncryptionAlgorithm.AesGcm16Iiv or EncryptionAlgorithm.ChaCha20Poly1305Iiv => 4,
        EncryptionAlgorithm.AesCcm8 or EncryptionAlgorithm.AesCcm12 or EncryptionAlgorithm.AesCcm16
            or EncryptionAlgorithm.CamelliaCcm8 or EncryptionAlgorithm.CamelliaCcm12 or EncryptionAlgorithm.CamelliaCcm16
            or EncryptionAlgorithm.AesCcm8Iiv => 3,
        _ => 0,
    };

    /// <summary>True when the cipher takes a Key Length attribute (variable key sizes).</summary>
    public static bool HasVariableKeyLength(EncryptionAlgorithm encryption) => encryption is
        EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesCtr or EncryptionAlgorithm.CamelliaCbc or EncryptionAlgorithm.CamelliaCtr
        || (IsAead(encryption) && encryption is not (EncryptionAlgorithm.ChaCha20Poly1305 or EncryptionAlgorithm.ChaCha20Poly1305Iiv));

    /// <summary>Octets of SK_e for a cipher and key length in bits (key plus salt/nonce); 0 for NULL or when unknown.</summary>
    public static int GetEncryptionKeyMaterialLength(EncryptionAlgorithm encryption, int keyLengthBits) => encryption switch
    {
        EncryptionAlgorithm.EncrNull => 0,
        EncryptionAlgorithm.TripleDes => 24,
        EncryptionAlgorithm.Des => 8,
        EncryptionAlgorithm.ChaCha20Poly1305 or EncryptionAlgorithm.ChaCha20Poly1305Iiv => 32 + 4,
        _ when HasVariableKeyLength(encryption) && keyLengthBits is 128 or 192 or 256 => (keyLengthBits / 8) + GetSaltLength(encryption),
        _ => 0,
    };

    /// <summary>ICV octets of an integrity transform (truncated MAC length).</summary>
    public static int GetIcvLength(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacMd5_96 or IntegrityAlgorithm.HmacSha1_96 or IntegrityAlgorithm.AesXcbc96 or IntegrityAlgorithm.AesCmac96 => 12,
        IntegrityAlgorithm.HmacMd5_128 => 16,
        IntegrityAlgorithm.HmacSha1_160 => 20,
        IntegrityAlgorithm.Aes128Gmac or IntegrityAlgorithm.Aes192Gmac or IntegrityAlgorithm.Aes256Gmac => 16,
        IntegrityAlgorithm.HmacSha2_256_128 => 16,
        IntegrityAlgorithm.HmacSha2_384_192 => 24,
        IntegrityAlgorithm.HmacSha2_512_256 => 32,
        _ => 0,
    };

    /// <summary>Octets of SK_a for an integrity transform (the hash output for HMAC, 16 for XCBC/CMAC).</summary>
    public static int GetIntegrityKeyLength(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacMd5_96 or IntegrityAlgorithm.HmacMd5_128 => 16,
        IntegrityAlgorithm.HmacSha1_96 or IntegrityAlgorithm.HmacSha1_160 => 20,
        IntegrityAlgorithm.AesXcbc96 or IntegrityAlgorithm.AesCmac96 => 16,
        IntegrityAlgorithm.HmacSha2_256_128 => 32,
        IntegrityAlgorithm.HmacSha2_384_192 => 48,
        IntegrityAlgorithm.HmacSha2_512_256 => 64,
        _ => 0,
    };
}
