using System.Buffers.Binary;
using System.Security.Cryptography;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>Encodes IKEv2 messages, including the SK payload [RFC 7296 §3.14; RFC 5282 §3-§5], and turns received ones into
/// the peer's model by reading them through <see cref="IkeHeader"/>, <see cref="IkePayloadReader"/>, the payload views and
/// <see cref="IkeSkDecryptor"/>.</summary>
/// <remarks>
/// SK with a separate integrity transform: <c>generic header | IV | E(payloads | Padding | Pad Length) | ICV</c>, the ICV
/// over the whole message up to the ICV. AEAD: <c>generic header | IV (8) | ciphertext with tag</c>, the associated data
/// is the IKE header and the SK generic header; the nonce is salt | IV.
/// </remarks>
internal static class IkeCodec
{
    public const int HeaderLength = IkeHeader.Size;

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
        WriteHeader(output, message, IkePayloadType.Encrypted, output.Length);
        output[HeaderLength] = (byte)first;
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

    /// <summary>Decodes a datagram (without the non-ESP marker) through the views of <c>Visibility.Wire.Ike</c>; the SK
    /// payload is verified and decrypted with <paramref name="decryptor"/> when given.</summary>
    public static IkeDecodeStatus TryDecode(ReadOnlySpan<byte> datagram, IkeSkDecryptor? decryptor, out IkeMessage? message)
    {
        message = null;
        if (!IkeHeader.TryRead(datagram, out var header) || !header.IsIkeV2 || !header.IsLengthValid)
        {
            return IkeDecodeStatus.Malformed;
        }

        var result = new IkeMessage
        {
            InitiatorSpi = header.InitiatorSpi,
            ResponderSpi = header.ResponderSpi,
            ExchangeType = header.ExchangeType,
            Flags = header.Flags,
            MessageId = header.MessageId,
        };

        var reader = IkePayloadReader.ForMessage(header);
        var status = ReadChain(ref reader, result.Payloads, out var skOffset);
        if (status != IkeDecodeStatus.Ok)
        {
            return status;
        }

        if (skOffset >= 0)
        {
            if (decryptor is null)
            {
                return IkeDecodeStatus.NoKeys;
            }

            var plaintext = new byte[datagram.Length];
            var decrypted = decryptor.Decrypt(datagram, IkePayloadType.Encrypted, skOffset, plaintext);
            switch (decrypted.Status)
            {
                case IkeDecryptStatus.Ok:
                    break;
                case IkeDecryptStatus.IntegrityFailed:
                    return IkeDecodeStatus.IntegrityFailed;
                default:
                    return IkeDecodeStatus.Malformed;
            }

            var inner = IkePayloadReader.ForChain(plaintext.AsSpan(0, decrypted.PayloadsLength), decrypted.FirstPayload);
            status = ReadChain(ref inner, result.Payloads, out var nested);
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
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, out ulong spiI, out ulong spiR, out IkeExchangeType exchange, out IkeFlags flags, out uint messageId)
    {
        var ok = IkeHeader.TryRead(datagram, out var header);
        spiI = ok ? header.InitiatorSpi : 0;
        spiR = ok ? header.ResponderSpi : 0;
        exchange = ok ? header.ExchangeType : IkeExchangeType.None;
        flags = ok ? header.Flags : IkeFlags.None;
        messageId = ok ? header.MessageId : 0;
        return ok;
    }

    public static byte[] EncodeChain(IReadOnlyList<Payload> payloads, out IkePayloadType firstType)
    {
        firstType = payloads.Count > 0 ? payloads[0].PayloadType : IkePayloadType.None;
        var output = new List<byte>();
        for (var i = 0; i < payloads.Count; i++)
        {
            var start = output.Count;
            output.Add((byte)(i + 1 < payloads.Count ? payloads[i + 1].PayloadType : IkePayloadType.None));
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

    /// <summary>Turns each payload of the chain into the peer's model; stops at SK, whose offset it returns (else -1).</summary>
    private static IkeDecodeStatus ReadChain(ref IkePayloadReader reader, List<Payload> into, out int skOffset)
    {
        skOffset = -1;
        while (reader.TryReadNext(out var payload))
        {
            if (payload.Type == IkePayloadType.Encrypted)
            {
                skOffset = payload.Offset;
                break;
            }

            var model = Parse(payload);
            if (model is null)
            {
                return IkeDecodeStatus.Malformed;
            }

            if (model is UnknownPayload { IsCritical: true })
            {
                return IkeDecodeStatus.UnsupportedCriticalPayload;
            }

            into.Add(model);
        }

        return reader.Status is IkeChainStatus.Complete or IkeChainStatus.Encrypted ? IkeDecodeStatus.Ok : IkeDecodeStatus.Malformed;
    }

    private static Payload? Parse(IkePayload payload)
    {
        var body = payload.Body;
        switch (payload.Type)
        {
            case IkePayloadType.SecurityAssociation:
                return SecurityAssociationPayload.From(body);
            case IkePayloadType.KeyExchange:
                return KeyExchangePayload.From(body);
            case IkePayloadType.Nonce:
                return NoncePayload.From(body);
            case IkePayloadType.Notify:
                return NotifyPayload.From(body);
            case IkePayloadType.IdentificationInitiator:
            case IkePayloadType.IdentificationResponder:
                return IdentificationPayload.From(payload.Type == IkePayloadType.IdentificationInitiator, body);
            case IkePayloadType.Authentication:
                return AuthenticationPayload.From(body);
            case IkePayloadType.TrafficSelectorInitiator:
            case IkePayloadType.TrafficSelectorResponder:
                return TrafficSelectorPayload.From(payload.Type == IkePayloadType.TrafficSelectorInitiator, body);
            case IkePayloadType.Delete:
                return DeletePayload.From(body);
            case IkePayloadType.Eap:
                return EapPayload.From(body);
            default:
                // Types the peer skips but knows of; an unknown one with the critical bit set rejects the message (RFC 7296 §2.5).
                var known = payload.Type is >= IkePayloadType.Certificate and <= IkePayloadType.GenericSecurePasswordMethod;
                return new UnknownPayload(payload.Type, payload.IsCritical && !known, body.ToArray());
        }
    }

    private static void WriteHeader(Span<byte> output, IkeMessage message, IkePayloadType nextPayload, int length)
    {
        BinaryPrimitives.WriteUInt64BigEndian(output, message.InitiatorSpi);
        BinaryPrimitives.WriteUInt64BigEndian(output[8..], message.ResponderSpi);
        output[16] = (byte)nextPayload;
        output[17] = 0x20;
        output[18] = (byte)message.ExchangeType;
        output[19] = (byte)message.Flags;
        BinaryPrimitives.WriteUInt32BigEndian(output[20..], message.MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(output[24..], (uint)length);
    }
}
