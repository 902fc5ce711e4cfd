using System.Buffers.Binary;
using System.Security.Cryptography;
using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>Builds protected IKEv2 messages straight from the RFC formulas with .NET primitives, independently of
/// <see cref="IkeSkDecryptor"/>: AES-CBC/CTR/NULL plus an HMAC over the whole message through Pad Length
/// (RFC 7296 §3.14, RFC 5930), AES-GCM with nonce salt | IV and associated data from the IKE header through the
/// SK generic header (RFC 5282), or through Total Fragments for SKF (RFC 7383 §2.5).</summary>
internal static class IkeSkTestEncryptor
{
    public sealed record Parameters
    {
        public ulong InitiatorSpi { get; init; } = 0x1122334455667788;
        public ulong ResponderSpi { get; init; } = 0x99AABBCCDDEEFF00;
        public byte ExchangeType { get; init; } = 35;
        public byte Flags { get; init; } = 0x08;
        public uint MessageId { get; init; } = 1;
        public required EncryptionAlgorithm Encryption { get; init; }
        public required byte[] EncryptionKey { get; init; }
        public IntegrityAlgorithm Integrity { get; init; } = IntegrityAlgorithm.None;
        public byte[] IntegrityKey { get; init; } = [];
        public byte PadLength { get; init; }
        public (ushort Number, ushort Total)? Fragment { get; init; }
        public byte[] Iv { get; init; } = [];
        /// <summary>Clear payloads placed before SK, as a chain whose last Next Payload will be set to SK/SKF.</summary>
        public IReadOnlyList<(byte Type, byte[] Body)> ClearPayloads { get; init; } = [];
    }

    public static byte[] Protect(Parameters p, IkePayloadType firstInner, byte[] innerChain)
    {
        bool gcm = p.Encryption is EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16;
        int ivLength = p.Encryption switch
        {
            EncryptionAlgorithm.AesCbc => 16,
            EncryptionAlgorithm.EncrNull => 0,
            _ => 8,
        };
        int icvLength = p.Encryption switch
        {
            EncryptionAlgorithm.AesGcm8 => 8,
            EncryptionAlgorithm.AesGcm12 => 12,
            EncryptionAlgorithm.AesGcm16 => 16,
            _ => p.Integrity switch
            {
                IntegrityAlgorithm.HmacSha1_96 or IntegrityAlgorithm.HmacMd5_96 => 12,
                IntegrityAlgorithm.HmacSha2_256_128 => 16,
                IntegrityAlgorithm.HmacSha2_384_192 => 24,
                IntegrityAlgorithm.HmacSha2_512_256 => 32,
                _ => 0,
            },
        };
        byte[] iv = p.Iv.Length == ivLength ? p.Iv : Enumerable.Range(0, ivLength).Select(i => (byte)(0xA0 + i)).ToArray();
        byte[] plaintext = [.. innerChain, .. Enumerable.Repeat((byte)0x5A, p.PadLength), p.PadLength];
        byte skType = p.Fragment is null ? (byte)46 : (byte)53;
        byte[] clear = IkeMessageBuilder.Chain(p.ClearPayloads);
        if (clear.Length > 0)
        {
            // Point the last clear payload at SK/SKF.
            int offset = 0;
            int last = 0;
            while (offset < clear.Length)
            {
                last = offset;
                offset += BinaryPrimitives.ReadUInt16BigEndian(clear.AsSpan(offset + 2));
            }
            clear[last] = skType;
        }
        byte[] fragmentFields = p.Fragment is { } f ? [(byte)(f.Number >> 8), (byte)f.Number, (byte)(f.Total >> 8), (byte)f.Total] : [];
        int skLength = 4 + fragmentFields.Length + ivLength + plaintext.Length + icvLength;
        int total = 28 + clear.Length + skLength;
        byte[] message = new byte[total];
        BinaryPrimitives.WriteUInt64BigEndian(message, p.InitiatorSpi);
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(8), p.ResponderSpi);
        message[16] = clear.Length > 0 ? p.ClearPayloads[0].Type : skType;
        message[17] = 0x20;
        message[18] = p.ExchangeType;
        message[19] = p.Flags;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(20), p.MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(24), (uint)total);
        clear.CopyTo(message, 28);
        int sk = 28 + clear.Length;
        message[sk] = (byte)firstInner;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(sk + 2), (ushort)skLength);
        fragmentFields.CopyTo(message, sk + 4);
        int ivOffset = sk + 4 + fragmentFields.Length;
        iv.CopyTo(message, ivOffset);
        Span<byte> ciphertext = message.AsSpan(ivOffset + ivLength, plaintext.Length);
        Span<byte> icv = message.AsSpan(total - icvLength, icvLength);
        if (gcm)
        {
            byte[] key = p.EncryptionKey[..^4];
            byte[] nonce = [.. p.EncryptionKey[^4..], .. iv];
            byte[] tag = new byte[16];
            using var aes = new AesGcm(key, 16);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, message.AsSpan(0, ivOffset));
            tag.AsSpan(0, icvLength).CopyTo(icv);
            return message;
        }
        switch (p.Encryption)
        {
            case EncryptionAlgorithm.AesCbc:
                {
                    using var aes = Aes.Create();
                    aes.Key = p.EncryptionKey;
                    aes.EncryptCbc(plaintext, iv, PaddingMode.None).CopyTo(ciphertext);
                    break;
                }
            case EncryptionAlgorithm.AesCtr:
                {
                    using var aes = Aes.Create();
                    aes.Key = p.EncryptionKey[..^4];
                    for (int block = 0; block * 16 < plaintext.Length; block++)
                    {
                        byte[] counter = [.. p.EncryptionKey[^4..], .. iv, 0, 0, 0, 0];
                        BinaryPrimitives.WriteUInt32BigEndian(counter.AsSpan(12), (uint)(block + 1));
                        byte[] keystream = aes.EncryptEcb(counter, PaddingMode.None);
                        for (int i = block * 16; i < Math.Min(plaintext.Length, (block + 1) * 16); i++)
                        {
                            ciphertext[i] = (byte)(plaintext[i] ^ keystream[i - (block * 16)]);
                        }
                    }
                    break;
                }
            default:
                plaintext.CopyTo(ciphertext);
                break;
        }
        byte[] mac = p.Integrity switch
        {
            IntegrityAlgorithm.HmacSha1_96 => HMACSHA1.HashData(p.IntegrityKey, message.AsSpan(0, total - icvLength)),
            IntegrityAlgorithm.HmacMd5_96 => HMACMD5.HashData(p.IntegrityKey, message.AsSpan(0, total - icvLength)),
            IntegrityAlgorithm.HmacSha2_256_128 => HMACSHA256.HashData(p.IntegrityKey, message.AsSpan(0, total - icvLength)),
            IntegrityAlgorithm.HmacSha2_384_192 => HMACSHA384.HashData(p.IntegrityKey, message.AsSpan(0, total - icvLength)),
            IntegrityAlgorithm.HmacSha2_512_256 => HMACSHA512.HashData(p.IntegrityKey, message.AsSpan(0, total - icvLength)),
            _ => [],
        };
        mac.AsSpan(0, icvLength).CopyTo(icv);
        return message;
    }

    public static byte[] Key(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + (i * 7))).ToArray();
}
