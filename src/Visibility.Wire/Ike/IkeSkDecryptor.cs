using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Visibility.Wire.Ike;

/// <summary>Verifies and decrypts the SK (RFC 7296 §3.14) and SKF (RFC 7383 §2.5) payloads sent in one direction of
/// an IKE SA, with that direction's SK_e and SK_a.</summary>
/// <remarks>
/// <para>Ciphers: ENCR_NULL; ENCR_AES_CBC (IV 16, RFC 3602); ENCR_AES_CTR (IV 8; SK_e = key | 4-octet nonce; counter
/// block = nonce | IV | 32-bit counter from 1, RFC 5930 §2-§3, RFC 3686 §4); ENCR_AES_GCM_8/12/16 (IV 8; SK_e = key |
/// 4-octet salt; nonce = salt | IV; associated data = the message from the IKE header through the SK generic header,
/// or through Total Fragments for SKF, RFC 5282 §3-§5, RFC 7383 §2.5). Integrity for the other ciphers: HMAC-MD5-96/128,
/// HMAC-SHA1-96/160, HMAC-SHA2-256-128, -384-192, -512-256 over the message from the first header octet through the
/// Pad Length octet (RFC 7296 §3.14); the 4-octet non-ESP marker is not part of the message and must not be passed.</para>
/// <para>AES-GCM is decrypted as CTR from counter 2 and its tag recomputed with <see cref="AesGcm"/> at full length and
/// compared over the ICV length: <see cref="AesGcm"/> accepts neither 8-octet tags nor a mismatch without throwing,
/// and this keeps one path for the three ICV sizes and no exception on forged input.</para>
/// <para>Decrypting allocates nothing: AES runs through ECB transforms created once over buffers the instance owns
/// (CBC and CTR chaining are done here), HMACs use the static span APIs, and the AES-GCM scratch is pooled.
/// Keys are copied at construction. An instance is not thread-safe (it holds cipher objects and buffers); use one per
/// worker. Construction throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> for keys
/// that cannot work (configuration errors); <see cref="Decrypt"/> never throws on message content.</para>
/// </remarks>
public sealed class IkeSkDecryptor : IDisposable
{
    private const int AesBlock = 16;
    private const int KeystreamBlocks = 16;
    private readonly byte[] _integrityKey;
    private readonly byte[] _salt;
    private readonly Aes? _aes;
    private readonly ICryptoTransform? _ecbEncryptor;
    private readonly ICryptoTransform? _ecbDecryptor;
    private readonly AesGcm? _gcm;
    private readonly byte[] _blockIn = new byte[KeystreamBlocks * AesBlock];
    private readonly byte[] _blockOut = new byte[KeystreamBlocks * AesBlock];
    private bool _disposed;

    /// <summary>A decryptor for one direction with a checked ICV (or an AEAD cipher with <see cref="IntegrityAlgorithm.None"/>).</summary>
    /// <param name="encryption">The negotiated ENCR transform.</param>
    /// <param name="encryptionKey">SK_ei or SK_er: the cipher key followed by the salt/nonce for CTR and GCM.</param>
    /// <param name="integrity">The negotiated INTEG transform; <see cref="IntegrityAlgorithm.None"/> with AEAD ciphers.</param>
    /// <param name="integrityKey">SK_ai or SK_ar; empty with AEAD ciphers.</param>
    public IkeSkDecryptor(EncryptionAlgorithm encryption, ReadOnlySpan<byte> encryptionKey, IntegrityAlgorithm integrity, ReadOnlySpan<byte> integrityKey)
        : this(encryption, encryptionKey, integrity, integrityKey, uncheckedIcvLength: -1)
    {
    }

    private IkeSkDecryptor(EncryptionAlgorithm encryption, ReadOnlySpan<byte> encryptionKey, IntegrityAlgorithm integrity, ReadOnlySpan<byte> integrityKey, int uncheckedIcvLength)
    {
        Encryption = encryption;
        Integrity = integrity;
        bool aead = IkeAlgorithms.IsAead(encryption);
        int saltLength;
        switch (encryption)
        {
            case EncryptionAlgorithm.EncrNull:
                RequireLength(encryptionKey, 0, "ENCR_NULL takes no encryption key");
                saltLength = 0;
                break;
            case EncryptionAlgorithm.AesCbc:
                RequireAesKey(encryptionKey.Length, encryption);
                saltLength = 0;
                break;
            case EncryptionAlgorithm.AesCtr:
            case EncryptionAlgorithm.AesGcm8:
            case EncryptionAlgorithm.AesGcm12:
            case EncryptionAlgorithm.AesGcm16:
                saltLength = 4;
                RequireAesKey(encryptionKey.Length - saltLength, encryption);
                break;
            default:
                throw new NotSupportedException($"IKE SK decryption does not support {IkeNames.GetName(encryption)}");
        }
        KeyLength = (encryptionKey.Length - saltLength) * 8;
        _salt = encryptionKey[(encryptionKey.Length - saltLength)..].ToArray();
        if (encryption != EncryptionAlgorithm.EncrNull)
        {
            _aes = Aes.Create();
            _aes.Mode = CipherMode.ECB;
            _aes.Padding = PaddingMode.None;
            _aes.Key = encryptionKey[..(encryptionKey.Length - saltLength)].ToArray();
            // Long-lived ECB transforms over arrays this instance owns: the span one-shots (DecryptCbc, EncryptEcb)
            // set up a cipher context per call and allocate.
            _ecbEncryptor = _aes.CreateEncryptor();
            if (encryption == EncryptionAlgorithm.AesCbc)
            {
                _ecbDecryptor = _aes.CreateDecryptor();
            }
            if (aead)
            {
                _gcm = new AesGcm(encryptionKey[..(encryptionKey.Length - saltLength)], AesBlock);
            }
        }
        IvLength = IkeAlgorithms.GetIvLength(encryption);
        BlockSize = IkeAlgorithms.GetBlockSize(encryption);
        if (aead)
        {
            if (integrity != IntegrityAlgorithm.None || !integrityKey.IsEmpty)
            {
                throw new ArgumentException($"{IkeNames.GetName(encryption)} is a combined-mode cipher; integrity must be NONE with no key", nameof(integrity));
            }
            IcvLength = IkeAlgorithms.GetAeadIcvLength(encryption);
            ChecksIntegrity = true;
        }
        else if (uncheckedIcvLength >= 0)
        {
            IcvLength = uncheckedIcvLength;
            ChecksIntegrity = false;
        }
        else
        {
            if (!IsSupportedIntegrity(integrity))
            {
                throw new NotSupportedException($"IKE SK integrity check does not support {IkeNames.GetName(integrity)}");
            }
            RequireLength(integrityKey, IkeAlgorithms.GetIntegrityKeyLength(integrity), $"{IkeNames.GetName(integrity)} needs a {IkeAlgorithms.GetIntegrityKeyLength(integrity)}-octet key");
            IcvLength = IkeAlgorithms.GetIcvLength(integrity);
            ChecksIntegrity = true;
        }
        _integrityKey = integrityKey.ToArray();
    }

    /// <summary>A decryptor that skips the ICV: it strips <paramref name="icvLength"/> octets unchecked (Wireshark's
    /// "ANY n-bits of Authentication [No Checking]", or an integrity algorithm without an IKEv2 transform ID).</summary>
    public static IkeSkDecryptor CreateWithUncheckedIcv(EncryptionAlgorithm encryption, ReadOnlySpan<byte> encryptionKey, int icvLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(icvLength);
        if (IkeAlgorithms.IsAead(encryption))
        {
            throw new ArgumentException("combined-mode ciphers always check their tag", nameof(encryption));
        }
        return new IkeSkDecryptor(encryption, encryptionKey, IntegrityAlgorithm.None, [], icvLength);
    }

    public EncryptionAlgorithm Encryption { get; }

    /// <summary>Cipher key length in bits (without salt/nonce); 0 for ENCR_NULL.</summary>
    public int KeyLength { get; }

    public IntegrityAlgorithm Integrity { get; }

    public int IvLength { get; }

    /// <summary>ICV octets at the end of each SK/SKF payload (the AEAD tag for combined-mode ciphers).</summary>
    public int IcvLength { get; }

    /// <summary>Alignment the ciphertext must have (16 for CBC, 1 otherwise).</summary>
    public int BlockSize { get; }

    /// <summary>False when the keys say "no checking": the ICV is stripped but not verified.</summary>
    public bool ChecksIntegrity { get; }

    /// <summary>The integrity algorithms this class can verify.</summary>
    public static bool IsSupportedIntegrity(IntegrityAlgorithm integrity) => integrity is
        IntegrityAlgorithm.HmacMd5_96 or IntegrityAlgorithm.HmacMd5_128 or IntegrityAlgorithm.HmacSha1_96
        or IntegrityAlgorithm.HmacSha1_160 or IntegrityAlgorithm.HmacSha2_256_128 or IntegrityAlgorithm.HmacSha2_384_192
        or IntegrityAlgorithm.HmacSha2_512_256;

    /// <summary>The ciphers this class can decrypt.</summary>
    public static bool IsSupportedEncryption(EncryptionAlgorithm encryption) => encryption is
        EncryptionAlgorithm.EncrNull or EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesCtr
        or EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16;

    /// <summary>Verifies and decrypts the SK or SKF payload at <paramref name="payloadOffset"/> of <paramref name="message"/>.</summary>
    /// <param name="message">The whole IKE message, from the first IKE header octet (no non-ESP marker).</param>
    /// <param name="payloadType"><see cref="IkePayloadType.Encrypted"/> or <see cref="IkePayloadType.EncryptedFragment"/>.</param>
    /// <param name="payloadOffset">Offset of the payload's generic header (e.g. <see cref="IkePayloadSummary.EncryptedOffset"/>).</param>
    /// <param name="plaintext">Receives payloads, padding and Pad Length; the ciphertext length is enough. Must not
    /// overlap <paramref name="message"/>.</param>
    public IkeDecryptResult Decrypt(ReadOnlySpan<byte> message, IkePayloadType payloadType, int payloadOffset, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int headerLength = payloadType switch
        {
            IkePayloadType.Encrypted => 4,
            IkePayloadType.EncryptedFragment => IkeEncryptedFragmentPayload.HeaderLength,
            _ => -1,
        };
        if (headerLength < 0)
        {
            return new IkeDecryptResult { Status = IkeDecryptStatus.NotEncrypted };
        }
        if (payloadOffset < IkeHeader.Size || payloadOffset > message.Length - headerLength)
        {
            return new IkeDecryptResult { Status = IkeDecryptStatus.Malformed };
        }
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(message[(payloadOffset + 2)..]);
        if (payloadLength < headerLength || payloadLength > message.Length - payloadOffset)
        {
            return new IkeDecryptResult { Status = IkeDecryptStatus.Malformed };
        }
        ReadOnlySpan<byte> payload = message.Slice(payloadOffset, payloadLength);
        bool fragment = payloadType == IkePayloadType.EncryptedFragment;
        var result = new IkeDecryptResult
        {
            FirstPayload = (IkePayloadType)payload[0],
            IsFragment = fragment,
            FragmentNumber = fragment ? BinaryPrimitives.ReadUInt16BigEndian(payload[4..]) : (ushort)0,
            TotalFragments = fragment ? BinaryPrimitives.ReadUInt16BigEndian(payload[6..]) : (ushort)0,
        };
        int cipherLength = payloadLength - headerLength - IvLength - IcvLength;
        if (cipherLength < 1 || cipherLength % BlockSize != 0)
        {
            return result with { Status = IkeDecryptStatus.Malformed };
        }
        if (plaintext.Length < cipherLength)
        {
            return result with { Status = IkeDecryptStatus.DestinationTooSmall };
        }
        ReadOnlySpan<byte> iv = payload.Slice(headerLength, IvLength);
        ReadOnlySpan<byte> ciphertext = payload.Slice(headerLength + IvLength, cipherLength);
        ReadOnlySpan<byte> icv = payload[^IcvLength..];
        Span<byte> output = plaintext[..cipherLength];
        bool verified;
        switch (Encryption)
        {
            case EncryptionAlgorithm.EncrNull:
                ciphertext.CopyTo(output);
                verified = VerifyMac(message[..(payloadOffset + payloadLength - IcvLength)], icv);
                break;
            case EncryptionAlgorithm.AesCbc:
                verified = VerifyMac(message[..(payloadOffset + payloadLength - IcvLength)], icv);
                DecryptCbc(iv, ciphertext, output);
                break;
            case EncryptionAlgorithm.AesCtr:
                verified = VerifyMac(message[..(payloadOffset + payloadLength - IcvLength)], icv);
                ApplyCounterMode(iv, 1, ciphertext, output);
                break;
            default:
                ApplyCounterMode(iv, 2, ciphertext, output);
                verified = VerifyGcmTag(iv, output, message[..(payloadOffset + headerLength)], icv);
                break;
        }
        result = result with
        {
            Status = verified ? IkeDecryptStatus.Ok : IkeDecryptStatus.IntegrityFailed,
            IntegrityChecked = ChecksIntegrity,
            PlaintextLength = cipherLength,
            PadLength = output[^1],
        };
        int payloadsLength = cipherLength - 1 - output[^1];
        if (payloadsLength < 0)
        {
            return result with { Status = verified ? IkeDecryptStatus.BadPadding : IkeDecryptStatus.IntegrityFailed };
        }
        return result with { PayloadsLength = payloadsLength };
    }

    private bool VerifyMac(ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> icv)
    {
        if (!ChecksIntegrity)
        {
            return true;
        }
        Span<byte> mac = stackalloc byte[64];
        int written = Integrity switch
        {
            IntegrityAlgorithm.HmacMd5_96 or IntegrityAlgorithm.HmacMd5_128 => HMACMD5.HashData(_integrityKey, authenticated, mac),
            IntegrityAlgorithm.HmacSha1_96 or IntegrityAlgorithm.HmacSha1_160 => HMACSHA1.HashData(_integrityKey, authenticated, mac),
            IntegrityAlgorithm.HmacSha2_256_128 => HMACSHA256.HashData(_integrityKey, authenticated, mac),
            IntegrityAlgorithm.HmacSha2_384_192 => HMACSHA384.HashData(_integrityKey, authenticated, mac),
            _ => HMACSHA512.HashData(_integrityKey, authenticated, mac),
        };
        return written >= icv.Length && CryptographicOperations.FixedTimeEquals(mac[..icv.Length], icv);
    }

    /// <summary>AES-CBC decryption (RFC 3602): P[i] = D(C[i]) XOR C[i-1], with C[-1] = IV; the ciphertext is a
    /// whole number of blocks.</summary>
    private void DecryptCbc(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        for (int done = 0; done < input.Length;)
        {
            int chunk = Math.Min(input.Length - done, _blockIn.Length);
            input.Slice(done, chunk).CopyTo(_blockIn);
            _ecbDecryptor!.TransformBlock(_blockIn, 0, chunk, _blockOut, 0);
            for (int i = 0; i < chunk; i++)
            {
                int position = done + i;
                byte previous = position < AesBlock ? iv[position] : input[position - AesBlock];
                output[position] = (byte)(_blockOut[i] ^ previous);
            }
            done += chunk;
        }
    }

    /// <summary>XORs <paramref name="input"/> with the AES-CTR keystream of counter blocks salt | iv | n, n from
    /// <paramref name="firstCounter"/> (1 for RFC 3686 CTR, 2 for the GCM payload after J0).</summary>
    private void ApplyCounterMode(ReadOnlySpan<byte> iv, uint firstCounter, ReadOnlySpan<byte> input, Span<byte> output)
    {
        uint counter = firstCounter;
        for (int done = 0; done < input.Length;)
        {
            int chunk = Math.Min(input.Length - done, _blockIn.Length);
            int blocks = (chunk + AesBlock - 1) / AesBlock;
            for (int b = 0; b < blocks; b++)
            {
                Span<byte> block = _blockIn.AsSpan(b * AesBlock, AesBlock);
                _salt.CopyTo(block);
                iv.CopyTo(block[4..]);
                BinaryPrimitives.WriteUInt32BigEndian(block[12..], counter++);
            }
            _ecbEncryptor!.TransformBlock(_blockIn, 0, blocks * AesBlock, _blockOut, 0);
            for (int i = 0; i < chunk; i++)
            {
                output[done + i] = (byte)(input[done + i] ^ _blockOut[i]);
            }
            done += chunk;
        }
    }

    private bool VerifyGcmTag(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> icv)
    {
        Span<byte> nonce = stackalloc byte[12];
        _salt.CopyTo(nonce);
        iv.CopyTo(nonce[4..]);
        Span<byte> tag = stackalloc byte[AesBlock];
        byte[] scratch = ArrayPool<byte>.Shared.Rent(plaintext.Length);
        try
        {
            _gcm!.Encrypt(nonce, plaintext, scratch.AsSpan(0, plaintext.Length), tag, associatedData);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch, clearArray: true);
        }
        return CryptographicOperations.FixedTimeEquals(tag[..icv.Length], icv);
    }

    private static void RequireAesKey(int length, EncryptionAlgorithm encryption)
    {
        if (length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"{IkeNames.GetName(encryption)} needs a 16-, 24- or 32-octet key{(IkeAlgorithms.GetSaltLength(encryption) > 0 ? " followed by a 4-octet salt/nonce" : string.Empty)}", nameof(encryption));
        }
    }

    private static void RequireLength(ReadOnlySpan<byte> key, int length, string message)
    {
        if (key.Length != length)
        {
            throw new ArgumentException($"{message} (got {key.Length} octets)", nameof(key));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        CryptographicOperations.ZeroMemory(_integrityKey);
        CryptographicOperations.ZeroMemory(_salt);
        CryptographicOperations.ZeroMemory(_blockIn);
        CryptographicOperations.ZeroMemory(_blockOut);
        _ecbEncryptor?.Dispose();
        _ecbDecryptor?.Dispose();
        _aes?.Dispose();
        _gcm?.Dispose();
    }
}
