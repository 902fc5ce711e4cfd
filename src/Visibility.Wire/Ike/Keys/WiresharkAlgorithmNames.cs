namespace Visibility.Wire.Ike.Keys;

/// <summary>The algorithm names of Wireshark's IKEv2 and ESP decryption tables, mapped to IKEv2 transforms.</summary>
/// <remarks>Names are matched exactly (case-sensitive), as Wireshark does. IKEv2 names are those of Wireshark's
/// isakmp dissector (e.g. "AES-CBC-128 [RFC3602]", "AES-GCM-128 with 16 octet ICV [RFC5282]", "HMAC_SHA2_256_128 [RFC4868]",
/// "NONE [RFC4306]"); ESP names those of its ESP dissector (e.g. "AES-GCM with 16 octet ICV [RFC4106]",
/// "HMAC-SHA-256-128 [RFC4868]", "NULL"). strongSwan's save-keys plugin spells Triple DES "TripleDes-CBC [RFC2451]";
/// that spelling is accepted too.</remarks>
internal static class WiresharkAlgorithmNames
{
    internal readonly record struct IkeCipher(EncryptionAlgorithm Algorithm, int KeyLengthBits);

    internal readonly record struct IkeIntegrity(IntegrityAlgorithm? Algorithm, int IcvLength, int KeyLength, bool Checks);

    internal readonly record struct EspCipher(EncryptionAlgorithm? Algorithm, int IcvLength, bool IcvFromAuthentication);

    internal readonly record struct EspAuthentication(IntegrityAlgorithm? Algorithm, int IcvLength, bool Checks, bool IsNoChecking);

    private static readonly Dictionary<string, IkeCipher> s_ikeCiphers = BuildIkeCiphers();

    private static readonly Dictionary<string, IkeIntegrity> s_ikeIntegrity = new(StringComparer.Ordinal)
    {
        ["HMAC_MD5_96 [RFC2403]"] = new(IntegrityAlgorithm.HmacMd5_96, 12, 16, true),
        ["HMAC_SHA1_96 [RFC2404]"] = new(IntegrityAlgorithm.HmacSha1_96, 12, 20, true),
        ["HMAC_MD5_128 [RFC4595]"] = new(IntegrityAlgorithm.HmacMd5_128, 16, 16, true),
        ["HMAC_SHA1_160 [RFC4595]"] = new(IntegrityAlgorithm.HmacSha1_160, 20, 20, true),
        ["HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]"] = new(null, 12, 32, true),
        ["HMAC_SHA2_256_128 [RFC4868]"] = new(IntegrityAlgorithm.HmacSha2_256_128, 16, 32, true),
        ["HMAC_SHA2_384_192 [RFC4868]"] = new(IntegrityAlgorithm.HmacSha2_384_192, 24, 48, true),
        ["HMAC_SHA2_512_256 [RFC4868]"] = new(IntegrityAlgorithm.HmacSha2_512_256, 32, 64, true),
        ["NONE [RFC4306]"] = new(IntegrityAlgorithm.None, 0, 0, true),
        ["ANY 64-bits of Authentication [No Checking]"] = new(null, 8, -1, false),
        ["ANY 96-bits of Authentication [No Checking]"] = new(null, 12, -1, false),
        ["ANY 128-bits of Authentication [No Checking]"] = new(null, 16, -1, false),
        ["ANY 160-bits of Authentication [No Checking]"] = new(null, 20, -1, false),
        ["ANY 192-bits of Authentication [No Checking]"] = new(null, 24, -1, false),
        ["ANY 256-bits of Authentication [No Checking]"] = new(null, 32, -1, false),
    };

    private static readonly Dictionary<string, EspCipher> s_espCiphers = new(StringComparer.Ordinal)
    {
        ["NULL"] = new(EncryptionAlgorithm.EncrNull, 0, false),
        ["TripleDES-CBC [RFC2451]"] = new(EncryptionAlgorithm.TripleDes, 0, false),
        ["TripleDes-CBC [RFC2451]"] = new(EncryptionAlgorithm.TripleDes, 0, false),
        ["AES-CBC [RFC3602]"] = new(EncryptionAlgorithm.AesCbc, 0, false),
        ["AES-CTR [RFC3686]"] = new(EncryptionAlgorithm.AesCtr, 0, false),
        ["DES-CBC [RFC2405]"] = new(EncryptionAlgorithm.Des, 0, false),
        ["CAST5-CBC [RFC2144]"] = new(EncryptionAlgorithm.Cast, 0, false),
        ["BLOWFISH-CBC [RFC2451]"] = new(EncryptionAlgorithm.Blowfish, 0, false),
        ["TWOFISH-CBC"] = new(null, 0, false),
        ["AES-GCM [RFC4106]"] = new(EncryptionAlgorithm.AesGcm16, 16, true),
        ["AES-GCM with 8 octet ICV [RFC4106]"] = new(EncryptionAlgorithm.AesGcm8, 8, false),
        ["AES-GCM with 12 octet ICV [RFC4106]"] = new(EncryptionAlgorithm.AesGcm12, 12, false),
        ["AES-GCM with 16 octet ICV [RFC4106]"] = new(EncryptionAlgorithm.AesGcm16, 16, false),
        ["AES-GCM with IIV and 16 octet ICV [RFC4106 & RFC8750]"] = new(EncryptionAlgorithm.AesGcm16Iiv, 16, false),
        ["ChaCha20 with Poly1305 [RFC7634]"] = new(EncryptionAlgorithm.ChaCha20Poly1305, 16, false),
        ["ChaCha20 with Poly1305 and IIV [RFC7634 & RFC8750]"] = new(EncryptionAlgorithm.ChaCha20Poly1305Iiv, 16, false),
    };

    private static readonly Dictionary<string, EspAuthentication> s_espAuthentication = new(StringComparer.Ordinal)
    {
        ["NULL"] = new(IntegrityAlgorithm.None, 0, false, false),
        ["HMAC-SHA-1-96 [RFC2404]"] = new(IntegrityAlgorithm.HmacSha1_96, 12, true, false),
        ["HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]"] = new(null, 12, true, false),
        ["HMAC-SHA-256-128 [RFC4868]"] = new(IntegrityAlgorithm.HmacSha2_256_128, 16, true, false),
        ["HMAC-SHA-384-192 [RFC4868]"] = new(IntegrityAlgorithm.HmacSha2_384_192, 24, true, false),
        ["HMAC-SHA-512-256 [RFC4868]"] = new(IntegrityAlgorithm.HmacSha2_512_256, 32, true, false),
        ["HMAC-MD5-96 [RFC2403]"] = new(IntegrityAlgorithm.HmacMd5_96, 12, true, false),
        ["MAC-RIPEMD-160-96 [RFC2857]"] = new(null, 12, true, false),
        ["ANY 64 bit authentication [no checking]"] = new(null, 8, false, true),
        ["ANY 96 bit authentication [no checking]"] = new(null, 12, false, true),
        ["ANY 128 bit authentication [no checking]"] = new(null, 16, false, true),
        ["ANY 192 bit authentication [no checking]"] = new(null, 24, false, true),
        ["ANY 256 bit authentication [no checking]"] = new(null, 32, false, true),
    };

    public static bool TryGetIkeCipher(string name, out IkeCipher cipher) => s_ikeCiphers.TryGetValue(name, out cipher);

    public static bool TryGetIkeIntegrity(string name, out IkeIntegrity integrity) => s_ikeIntegrity.TryGetValue(name, out integrity);

    public static bool TryGetEspCipher(string name, out EspCipher cipher) => s_espCiphers.TryGetValue(name, out cipher);

    public static bool TryGetEspAuthentication(string name, out EspAuthentication authentication) =>
        s_espAuthentication.TryGetValue(name, out authentication);

    private static Dictionary<string, IkeCipher> BuildIkeCiphers()
    {
        var map = new Dictionary<string, IkeCipher>(StringComparer.Ordinal)
        {
            ["3DES [RFC2451]"] = new(EncryptionAlgorithm.TripleDes, 192),
            ["NULL [RFC2410]"] = new(EncryptionAlgorithm.EncrNull, 0),
        };
        foreach (int bits in (ReadOnlySpan<int>)[128, 192, 256])
        {
            map[$"AES-CBC-{bits} [RFC3602]"] = new(EncryptionAlgorithm.AesCbc, bits);
            map[$"AES-CTR-{bits} [RFC5930]"] = new(EncryptionAlgorithm.AesCtr, bits);
            map[$"AES-GCM-{bits} with 8 octet ICV [RFC5282]"] = new(EncryptionAlgorithm.AesGcm8, bits);
            map[$"AES-GCM-{bits} with 12 octet ICV [RFC5282]"] = new(EncryptionAlgorithm.AesGcm12, bits);
            map[$"AES-GCM-{bits} with 16 octet ICV [RFC5282]"] = new(EncryptionAlgorithm.AesGcm16, bits);
            map[$"AES-CCM-{bits} with 8 octet ICV [RFC5282]"] = new(EncryptionAlgorithm.AesCcm8, bits);
            map[$"AES-CCM-{bits} with 12 octet ICV [RFC5282]"] = new(EncryptionAlgorithm.AesCcm12, bits);
            map[$"AES-CCM-{bits} with 16 octet ICV [RFC5282]"] = new(EncryptionAlgorithm.AesCcm16, bits);
        }
        return map;
    }
}
