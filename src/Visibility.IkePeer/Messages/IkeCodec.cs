using System.Buffers.Binary;
using System.Security.Cryptography;
using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>Encodes and decodes IKEv2 messages, including the SK payload [RFC 7296 §3.14; RFC 5282 §3-§5].</summary>
/// <remarks>
/// SK with a separate integrity transform: <c>generic header | IV | E(payloads | Padding | Pad Length) | ICV</c>, the ICV
/// over the whole message up to the ICV. AEAD: <c>generic header | IV (8) | ciphertext with tag</c>, the associated data
/// is the IKE header and the SK generic header; the nonce is salt | IV.
/// </remarks>
internal static class IkeCodec
{
    public const int HeaderLength = 28;

    /// <summary>Encodes a message whose payloads all travel in the clear.</summary>
    public static byte[] Encode(IkeMessage message)
    {
        var chain = EncodeChain(message.Payloads, out var first);
        var output = new byte[HeaderLength + chain.Length];
        WriteHeader(output, message, first, output.Length);
        chain.CopyTo(output, HeaderLength);
        return output;
    }

    /// <summary>Encodes a message with all its payloads inside one SK payload.</summary>
    public static byte[] EncodeProtected(IkeMessage message, SkCipher cipher)
    {
        var chain = EncodeChain(message.Payloads, out var first);
        var encryption = cipher.Encryption;
        var blockSize = encryption.BlockSize;
        var padLength = blockSize > 1 ? (blockSize - (chain.Length + 1) % blockSize) % blockSize : 0;
        var plaintext = new byte[chain.Length + padLength + 1];
        chain.CopyTo(plaintext, 0);
        plaintext[^1] = (byte)padLength;
        var iv = RandomNumberGenerator.GetBytes(encryption.IvLength);
        var cipherLength = plaintext.Length + encryption.IcvLength;
        var skLength = 4 + iv.Length + cipherLength + cipher.TrailerLength;
        var output = new byte[HeaderLength + skLength];
        WriteHeader(output, message, PeerIana.PayloadEncrypted, output.Length);
        output[HeaderLength] = first;
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(HeaderLength + 2), (ushort)skLength);
        iv.CopyTo(output, HeaderLength + 4);
        var aad = encryption.IsAead ? output.AsSpan(0, HeaderLength + 4) : [];
        var encrypted = encryption.Encrypt(cipher.EncryptionKey, iv, aad, plaintext);
        encrypted.CopyTo(output, HeaderLength + 4 + iv.Length);
        if (!encryption.IsAead)
        {
            var icvOffset = output.Length - cipher.Integrity.IcvLength;
            cipher.Integrity.Compute(cipher.IntegrityKey, output.AsSpan(0, icvOffset), output.AsSpan(icvOffset));
        }

        return output;
    }

    /// <summary>Decodes a datagram (without the non-ESP marker); decrypts SK with <paramref name="cipher"/> when given.</summary>
    public static IkeDecodeStatus TryDecode(ReadOnlySpan<byte> datagram, SkCipher? cipher, out IkeMessage? message)
    {
        message = null;
        if (datagram.Length < HeaderLength || datagram[17] >> 4 != 2)
        {
            return IkeDecodeStatus.Malformed;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(datagram[24..]);
        if (length != (uint)datagram.Length)
        {
            return IkeDecodeStatus.Malformed;
        }

        var result = new IkeMessage
        {
            InitiatorSpi = BinaryPrimitives.ReadUInt64BigEndian(datagram),
            ResponderSpi = BinaryPrimitives.ReadUInt64BigEndian(datagram[8..]),
            ExchangeType = datagram[18],
            Flags = datagram[19],
            MessageId = BinaryPrimitives.ReadUInt32BigEndian(datagram[20..]),
        };

        var status = DecodeChain(datagram[16], datagram, HeaderLength, result.Payloads, out var skOffset, out var innerFirst);
        if (status != IkeDecodeStatus.Ok)
        {
            return status;
        }

        if (skOffset >= 0)
        {
            if (cipher is null)
            {
                return IkeDecodeStatus.NoKeys;
            }

            status = Decrypt(datagram, skOffset, cipher, out var plaintext);
            if (status != IkeDecodeStatus.Ok)
            {
                return status;
            }

            status = DecodeChain(innerFirst, plaintext, 0, result.Payloads, out var nested, out _);
            if (status != IkeDecodeStatus.Ok || nested >= 0)
            {
                return status == IkeDecodeStatus.Ok ? IkeDecodeStatus.Malformed : status;
            }

            result.WasEncrypted = true;
        }

        message = result;
        return IkeDecodeStatus.Ok;
    }

    /// <summary>Reads the header fields only, for routing before keys are known.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, out ulong spiI, out ulong spiR, out byte exchange, out byte flags, out uint messageId)
    {
        spiI = spiR = 0;
        exchange = flags = 0;
        messageId = 0;
        if (datagram.Length < HeaderLength)
        {
            return false;
        }

        spiI = BinaryPrimitives.ReadUInt64BigEndian(datagram);
        spiR = BinaryPrimitives.ReadUInt64BigEndian(datagram[8..]);
        exchange = datagram[18];
        flags = datagram[19];
        messageId = BinaryPrimitives.ReadUInt32BigEndian(datagram[20..]);
        return true;
    }

    public static byte[] EncodeChain(IReadOnlyList<IkePayload> payloads, out byte firstType)
    {
        firstType = payloads.Count > 0 ? payloads[0].PayloadType : PeerIana.PayloadNone;
        var output = new List<byte>();
        for (var i = 0; i < payloads.Count; i++)
        {
            var start = output.Count;
            output.Add(i + 1 < payloads.Count ? payloads[i + 1].PayloadType : PeerIana.PayloadNone);
            output.Add(0);
            output.Add(0);
            output.Add(0);
            payloads[i].WriteBody(output);
            var length = output.Count - start;
            output[start + 2] = (byte)(length >> 8);
            output[start + 3] = (byte)length;
        }

        return [.. output];
    }

    private static IkeDecodeStatus DecodeChain(byte first, ReadOnlySpan<byte> data, int offset, List<IkePayload> into, out int skOffset, out byte innerFirst)
    {
        skOffset = -1;
        innerFirst = 0;
        var type = first;
        while (type != PeerIana.PayloadNone)
        {
            if (data.Length - offset < 4)
            {
                return IkeDecodeStatus.Malformed;
            }

            var next = data[offset];
            var critical = (data[offset + 1] & 0x80) != 0;
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            if (length < 4 || length > data.Length - offset)
            {
                return IkeDecodeStatus.Malformed;
            }

            if (type == PeerIana.PayloadEncrypted)
            {
                if (offset + length != data.Length)
                {
                    return IkeDecodeStatus.Malformed;
                }

                skOffset = offset;
                innerFirst = next;
                return IkeDecodeStatus.Ok;
            }

            var body = data.Slice(offset + 4, length - 4);
            var payload = Parse(type, critical, body);
            if (payload is null)
            {
                return IkeDecodeStatus.Malformed;
            }

            if (payload is UnknownPayload { IsCritical: true })
            {
                return IkeDecodeStatus.UnsupportedCriticalPayload;
            }

            into.Add(payload);
            offset += length;
            type = next;
        }

        return IkeDecodeStatus.Ok;
    }

    private static IkeDecodeStatus Decrypt(ReadOnlySpan<byte> datagram, int skOffset, SkCipher cipher, out byte[] chain)
    {
        chain = [];
        var encryption = cipher.Encryption;
        var ivOffset = skOffset + 4;
        var cipherOffset = ivOffset + encryption.IvLength;
        var cipherLength = datagram.Length - cipherOffset - cipher.TrailerLength;
        if (cipherLength < 1 + encryption.IcvLength)
        {
            return IkeDecodeStatus.Malformed;
        }

        if (!encryption.IsAead)
        {
            var icvOffset = datagram.Length - cipher.Integrity.IcvLength;
            if (!cipher.Integrity.Verify(cipher.IntegrityKey, datagram[..icvOffset], datagram[icvOffset..]))
            {
                return IkeDecodeStatus.IntegrityFailed;
            }
        }

        var aad = encryption.IsAead ? datagram[..(skOffset + 4)] : [];
        if (!encryption.TryDecrypt(cipher.EncryptionKey, datagram.Slice(ivOffset, encryption.IvLength), aad, datagram.Slice(cipherOffset, cipherLength), out var plaintext))
        {
            return encryption.IsAead ? IkeDecodeStatus.IntegrityFailed : IkeDecodeStatus.Malformed;
        }

        var padLength = plaintext[^1];
        if (padLength + 1 > plaintext.Length)
        {
            return IkeDecodeStatus.Malformed;
        }

        chain = plaintext.AsSpan(0, plaintext.Length - 1 - padLength).ToArray();
        return IkeDecodeStatus.Ok;
    }

    private static IkePayload? Parse(byte type, bool critical, ReadOnlySpan<byte> body)
    {
        switch (type)
        {
            case PeerIana.PayloadSecurityAssociation:
                return SecurityAssociationPayload.TryParse(body, out var sa) ? sa : null;
            case PeerIana.PayloadKeyExchange:
                return KeyExchangePayload.Parse(body);
            case PeerIana.PayloadNonce:
                return new NoncePayload(body.ToArray());
            case PeerIana.PayloadNotify:
                return NotifyPayload.Parse(body);
            case PeerIana.PayloadIdentificationInitiator:
            case PeerIana.PayloadIdentificationResponder:
                return IdentificationPayload.Parse(type == PeerIana.PayloadIdentificationInitiator, body);
            case PeerIana.PayloadAuthentication:
                return AuthenticationPayload.Parse(body);
            case PeerIana.PayloadTrafficSelectorInitiator:
            case PeerIana.PayloadTrafficSelectorResponder:
                return TrafficSelectorPayload.Parse(type == PeerIana.PayloadTrafficSelectorInitiator, body);
            case PeerIana.PayloadDelete:
                return DeletePayload.Parse(body);
            default:
                var known = type is PeerIana.PayloadVendorId or PeerIana.PayloadCertificateRequest or PeerIana.PayloadConfiguration or >= 37 and <= 49;
                return new UnknownPayload(type, critical && !known, body.ToArray());
        }
    }

    private static void WriteHeader(Span<byte> output, IkeMessage message, byte nextPayload, int length)
    {
        BinaryPrimitives.WriteUInt64BigEndian(output, message.InitiatorSpi);
        BinaryPrimitives.WriteUInt64BigEndian(output[8..], message.ResponderSpi);
        output[16] = nextPayload;
        output[17] = 0x20;
        output[18] = message.ExchangeType;
        output[19] = message.Flags;
        BinaryPrimitives.WriteUInt32BigEndian(output[20..], message.MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(output[24..], (uint)length);
    }
}
