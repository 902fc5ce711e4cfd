using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Crypto;

/// <summary>An encryption transform (type 1) with a key size: ENCR_NULL, AES-CBC, or AES-GCM with an 8/12/16-octet ICV.</summary>
/// <remarks>
/// AES-CBC (RFC 3602): 16-octet IV, block size 16, no padding of its own. AES-GCM (RFC 4106 for ESP, RFC 5282 for
/// IKEv2): key material = key | 4-octet salt, nonce = salt | 8-octet IV, the tag is appended to the ciphertext.
/// ENCR_NULL (RFC 2410): no IV, block size 1, ESP only.
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

    public bool IsAead => TransformId is EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16;

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
        EncryptionAlgorithm.AesGcm16 => 16,
        _ => 0,
    };

    /// <summary>Whether the Key Length attribute is sent in a proposal.</summary>
    public bool HasKeyLengthAttribute => !IsNull;

    public string Name => TransformId switch
    {
        EncryptionAlgorithm.EncrNull => "ENCR_NULL",
        EncryptionAlgorithm.AesCbc => $"ENCR_AES_CBC_{KeyBits}",
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
