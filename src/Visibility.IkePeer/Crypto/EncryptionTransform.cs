using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>An encryption transform (type 1) with a key size: ENCR_NULL, AES-CBC, AES-GCM with an 8/12/16-octet ICV, or
/// ENCR_NULL_AUTH_AES_GMAC (ESP only).</summary>
/// <remarks>
/// AES-CBC (RFC 3602): 16-octet IV, block size 16, no padding of its own. AES-GCM (RFC 4106 for ESP, RFC 5282 for
/// IKEv2): key material = key | 4-octet salt, nonce = salt | 8-octet IV, the tag is appended to the ciphertext.
/// ENCR_NULL (RFC 2410): no IV, block size 1, ESP only. ENCR_NULL_AUTH_AES_GMAC (RFC 4543, ESP only): keyed as AES-GCM
/// (key | 4-octet salt, 8-octet IV, 16-octet ICV), but nothing is encrypted: GCM runs on an empty plaintext with the
/// associated data SPI | Sequence Number | IV | payload, padding, Pad Length, Next Header (RFC 4543 §3.3, §5), and the
/// tag is the ICV after the clear payload.
/// </remarks>
internal sealed class EncryptionTransform
{
    private EncryptionTransform(EncryptionAlgorithm transformId, int keyBits)
    {
        TransformId = transformId;
        KeyBits = keyBits;
    }

    public EncryptionAlgorithm TransformId { get; }

    /// <summary>Key size in bits (the Key Length attribute); 0 for ENCR_NULL.</summary>
    public int KeyBits { get; }

    public bool IsNull => TransformId == EncryptionAlgorithm.EncrNull;

    /// <summary>A combined-mode transform: no separate integrity transform, salt in the keying material, tag as ICV (AES-GCM
    /// and GMAC).</summary>
    public bool IsAead => TransformId is EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16
        or EncryptionAlgorithm.NullAuthAesGmac;

    /// <summary>ENCR_NULL_AUTH_AES_GMAC (RFC 4543): integrity only.</summary>
    public bool IsGmac => TransformId == EncryptionAlgorithm.NullAuthAesGmac;

    /// <summary>The payload travels in clear: ENCR_NULL or GMAC (the sensor's "null" verdict; WESP E = 0).</summary>
    public bool IsIntegrityOnly => IsNull || IsGmac;

    /// <summary>Salt octets that follow the key in the keying material (GCM: 4).</summary>
    public int SaltLength => IsAead ? 4 : 0;

    /// <summary>Keying material taken from prf+ for one direction, salt included.</summary>
    public int KeyMaterialLength => KeyBits / 8 + SaltLength;

    public int IvLength => TransformId switch
    {
        EncryptionAlgorithm.AesCbc => 16,
        EncryptionAlgorithm.EncrNull => 0,
        _ => 8,
    };

    public int BlockSize => TransformId == EncryptionAlgorithm.AesCbc ? 16 : 1;

    /// <summary>AEAD tag length; 0 for ciphers with a separate integrity transform.</summary>
    public int IcvLength => TransformId switch
    {
        EncryptionAlgorithm.AesGcm8 => 8,
        EncryptionAlgorithm.AesGcm12 => 12,
        EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.NullAuthAesGmac => 16,
        _ => 0,
    };

    /// <summary>Whether the Key Length attribute is sent in a proposal.</summary>
    public bool HasKeyLengthAttribute => !IsNull;

    public string Name => TransformId switch
    {
        EncryptionAlgorithm.EncrNull => "ENCR_NULL",
        EncryptionAlgorithm.AesCbc => $"ENCR_AES_CBC_{KeyBits}",
        EncryptionAlgorithm.NullAuthAesGmac => $"ENCR_NULL_AUTH_AES_GMAC_{KeyBits}",
        _ => $"ENCR_AES_GCM_{IcvLength}_{KeyBits}",
    };

    public static EncryptionTransform? Create(EncryptionAlgorithm transformId, int keyBits)
    {
        switch (transformId)
        {
            case EncryptionAlgorithm.EncrNull:
                return keyBits == 0 ? new EncryptionTransform(transformId, 0) : null;
            case EncryptionAlgorithm.AesCbc:
            case EncryptionAlgorithm.AesGcm8:
            case EncryptionAlgorithm.AesGcm12:
            case EncryptionAlgorithm.AesGcm16:
            case EncryptionAlgorithm.NullAuthAesGmac:
                return keyBits is 128 or 192 or 256 ? new EncryptionTransform(transformId, keyBits) : null;
            default:
                return null;
        }
    }

    public bool SameAs(EncryptionTransform other) => other.TransformId == TransformId && other.KeyBits == KeyBits;

    /// <summary>Encrypts; for AEAD the result is ciphertext | tag. CBC input must be a multiple of the block size.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        if (IsNull)
        {
            return plaintext.ToArray();
        }

        if (!IsAead)
        {
            using var aes = Aes.Create();
            aes.Key = keyMaterial.ToArray();
            return aes.EncryptCbc(plaintext, iv, PaddingMode.None);
        }

        if (IsGmac)
        {
            var authenticated = new byte[plaintext.Length + IcvLength];
            plaintext.CopyTo(authenticated);
            Gmac(keyMaterial, iv, associatedData, plaintext).CopyTo(authenticated, plaintext.Length);
            return authenticated;
        }

        var gcm = CreateGcm(true, keyMaterial, iv, associatedData);
        var output = new byte[gcm.GetOutputSize(plaintext.Length)];
        var n = gcm.ProcessBytes(plaintext.ToArray(), 0, plaintext.Length, output, 0);
        gcm.DoFinal(output, n);
        return output;
    }

    /// <summary>Decrypts (and for AEAD verifies the tag). False when the tag or the block alignment is wrong.</summary>
    public bool TryDecrypt(ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, out byte[] plaintext)
    {
        plaintext = [];
        if (IsNull)
        {
            plaintext = ciphertext.ToArray();
            return true;
        }

        if (!IsAead)
        {
            if (ciphertext.Length % BlockSize != 0)
            {
                return false;
            }

            using var aes = Aes.Create();
            aes.Key = keyMaterial.ToArray();
            plaintext = aes.DecryptCbc(ciphertext, iv, PaddingMode.None);
            return true;
        }

        if (ciphertext.Length < IcvLength)
        {
            return false;
        }

        if (IsGmac)
        {
            var clear = ciphertext[..^IcvLength];
            if (!CryptographicOperations.FixedTimeEquals(Gmac(keyMaterial, iv, associatedData, clear), ciphertext[^IcvLength..]))
            {
                return false;
            }

            plaintext = clear.ToArray();
            return true;
        }

        var gcm = CreateGcm(false, keyMaterial, iv, associatedData);
        var output = new byte[gcm.GetOutputSize(ciphertext.Length)];
        try
        {
            var n = gcm.ProcessBytes(ciphertext.ToArray(), 0, ciphertext.Length, output, 0);
            gcm.DoFinal(output, n);
        }
        catch (InvalidCipherTextException)
        {
            return false;
        }

        plaintext = output;
        return true;
    }

    /// <summary>The GMAC tag (RFC 4543 §3.3): GCM over an empty plaintext, the associated data being
    /// <paramref name="associatedData"/> (SPI | Sequence Number) | IV | <paramref name="clear"/>.</summary>
    private byte[] Gmac(ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> clear)
    {
        var aad = new byte[associatedData.Length + iv.Length + clear.Length];
        associatedData.CopyTo(aad);
        iv.CopyTo(aad.AsSpan(associatedData.Length));
        clear.CopyTo(aad.AsSpan(associatedData.Length + iv.Length));
        return GmacTag(keyMaterial, iv, aad);
    }

    /// <summary>GCM's tag over no plaintext and <paramref name="authenticated"/> as associated data, the nonce being the
    /// salt at the end of <paramref name="keyMaterial"/> | <paramref name="iv"/> (GMAC, NIST SP 800-38D §3).</summary>
    internal byte[] GmacTag(ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> authenticated)
    {
        var gcm = CreateGcm(true, keyMaterial, iv, authenticated);
        var tag = new byte[gcm.GetOutputSize(0)];
        gcm.DoFinal(tag, 0);
        return tag;
    }

    private GcmBlockCipher CreateGcm(bool forEncryption, ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> associatedData)
    {
        var keyLength = KeyBits / 8;
        var nonce = new byte[12];
        keyMaterial.Slice(keyLength, 4).CopyTo(nonce);
        iv.CopyTo(nonce.AsSpan(4));
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(keyMaterial[..keyLength].ToArray()), IcvLength * 8, nonce, associatedData.ToArray()));
        return gcm;
    }
}
