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
        return Seal(message, cipher, first, chain, 0, 0);
    }

    /// <summary>Encodes a message inside SK when it fits in <paramref name="maxLength"/> octets, else as SKF fragments
    /// of at most that length each [RFC 7383 §2.5]: the payload chain is cut into chunks, each encrypted and protected on
    /// its own with a fresh IV; fragment 1 names the first inner payload, the others 0.</summary>
    public static IReadOnlyList<byte[]> EncodeProtected(IkeMessage message, SkCipher cipher, int maxLength)
    {
        var chain = EncodeChain(message.Payloads, out var first);
        var whole = Seal(message, cipher, first, chain, 0, 0);
        if (whole.Length <= maxLength)
        {
            return [whole];
        }

        var chunkLength = FragmentCapacity(cipher, maxLength);
        if (chunkLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "too small for one SKF fragment");
        }

        var total = (chain.Length + chunkLength - 1) / chunkLength;
        if (total > MaxFragments)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"the message would need {total} fragments");
        }

        var fragments = new byte[total][];
        for (var i = 0; i < total; i++)
        {
            var start = i * chunkLength;
            var chunk = chain.AsSpan(start, Math.Min(chunkLength, chain.Length - start));
            fragments[i] = Seal(message, cipher, i == 0 ? first : IkePayloadType.None, chunk, (ushort)(i + 1), (ushort)total);
        }

        return fragments;
    }

    /// <summary>Most fragments one message is cut into or reassembled from.</summary>
    public const int MaxFragments = 64;

    /// <summary>Octets of payload chain one SKF fragment of at most <paramref name="maxLength"/> octets carries: what is
    /// left after the IKE header, the SKF header, IV and ICV, rounded down to whole cipher blocks less the Pad Length
    /// octet.</summary>
    internal static int FragmentCapacity(SkCipher cipher, int maxLength)
    {
        var encryption = cipher.Encryption;
        var room = maxLength - HeaderLength - IkeEncryptedFragmentPayload.HeaderLength - encryption.IvLength - encryption.IcvLength - cipher.TrailerLength;
        room -= room % Math.Max(1, encryption.BlockSize);
        return room - 1;
    }

    /// <summary>One SK payload (<paramref name="total"/> 0) or SKF fragment around <paramref name="chain"/>.</summary>
    private static byte[] Seal(IkeMessage message, SkCipher cipher, IkePayloadType first, ReadOnlySpan<byte> chain, ushort number, ushort total)
    {
        var fragment = total != 0;
        var skHeader = fragment ? IkeEncryptedFragmentPayload.HeaderLength : 4;
        var encryption = cipher.Encryption;
        var blockSize = encryption.BlockSize;
        var padLength = blockSize > 1 ? (blockSize - (chain.Length + 1) % blockSize) % blockSize : 0;
        var plaintext = new byte[chain.Length + padLength + 1];
        chain.CopyTo(plaintext);
        plaintext[^1] = (byte)padLength;
        var iv = RandomNumberGenerator.GetBytes(encryption.IvLength);
        var cipherLength = plaintext.Length + encryption.IcvLength;
        var skLength = skHeader + iv.Length + cipherLength + cipher.TrailerLength;
        var output = new byte[HeaderLength + skLength];
        WriteHeader(output, message, fragment ? IkePayloadType.EncryptedFragment : IkePayloadType.Encrypted, output.Length);
        output[HeaderLength] = (byte)first;
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(HeaderLength + 2), (ushort)skLength);
        if (fragment)
        {
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(HeaderLength + 4), number);
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(HeaderLength + 6), total);
        }

        iv.CopyTo(output, HeaderLength + skHeader);
        // AEAD associated data: the IKE header and the SK/SKF header up to the IV [RFC 5282 §5.1; RFC 7383 §2.5].
        var aad = encryption.IsAead ? output.AsSpan(0, HeaderLength + skHeader) : [];
        var encrypted = encryption.Encrypt(cipher.EncryptionKey, iv, aad, plaintext);
        encrypted.CopyTo(output, HeaderLength + skHeader + iv.Length);
        if (!encryption.IsAead)
        {
            var icvOffset = output.Length - cipher.Integrity.IcvLength;
            cipher.Integrity.Compute(cipher.IntegrityKey, output.AsSpan(0, icvOffset), output.AsSpan(icvOffset));
        }

        return output;
    }

    /// <summary>Whether a datagram's first payload is SKF [RFC 7383 §2.5], read from the clear header only.</summary>
    public static bool IsFragment(ReadOnlySpan<byte> datagram, out ushort number, out ushort total)
    {
        number = 0;
        total = 0;
        if (!IkeHeader.TryRead(datagram, out var header) || header.NextPayload != IkePayloadType.EncryptedFragment
            || !IkeEncryptedFragmentPayload.TryRead(datagram[HeaderLength..], out var skf))
        {
            return false;
        }

        number = skf.FragmentNumber;
        total = skf.TotalFragments;
        return true;
    }

    /// <summary>Verifies and decrypts one SKF fragment: the message's header fields in <paramref name="header"/>, the
    /// decrypted chunk of the payload chain (padding removed) in <paramref name="fragment"/>.</summary>
    public static IkeDecodeStatus TryDecodeFragment(ReadOnlySpan<byte> datagram, IkeSkDecryptor decryptor, out IkeMessage? header, out IkeFragment fragment)
    {
        header = null;
        fragment = default;
        if (!IkeHeader.TryRead(datagram, out var view) || !view.IsIkeV2 || !view.IsLengthValid || view.NextPayload != IkePayloadType.EncryptedFragment)
        {
            return IkeDecodeStatus.Malformed;
        }

        var reader = IkePayloadReader.ForMessage(view);
        if (!reader.TryReadNext(out var payload) || payload.Type != IkePayloadType.EncryptedFragment
            || !IkeEncryptedFragmentPayload.TryRead(payload.Bytes, out var skf) || !skf.AreNumbersValid || skf.TotalFragments > MaxFragments)
        {
            return IkeDecodeStatus.Malformed;
        }

        var plaintext = new byte[datagram.Length];
        var decrypted = decryptor.Decrypt(datagram, IkePayloadType.EncryptedFragment, payload.Offset, plaintext);
        switch (decrypted.Status)
        {
            case IkeDecryptStatus.Ok:
                break;
            case IkeDecryptStatus.IntegrityFailed:
                return IkeDecodeStatus.IntegrityFailed;
            default:
                return IkeDecodeStatus.Malformed;
        }

        header = new IkeMessage
        {
            InitiatorSpi = view.InitiatorSpi,
            ResponderSpi = view.ResponderSpi,
            ExchangeType = view.ExchangeType,
            Flags = view.Flags,
            MessageId = view.MessageId,
            WasEncrypted = true,
        };
        fragment = new IkeFragment(decrypted.FragmentNumber, decrypted.TotalFragments, decrypted.FirstPayload, plaintext.AsSpan(0, decrypted.PayloadsLength).ToArray());
        return IkeDecodeStatus.Ok;
    }

    /// <summary>Reads the payload chain of a reassembled message into <paramref name="message"/> (whose header fields the
    /// fragments gave).</summary>
    public static IkeDecodeStatus ReadReassembled(IkeMessage message, IkePayloadType firstPayload, ReadOnlySpan<byte> chain)
    {
        var inner = IkePayloadReader.ForChain(chain, firstPayload);
        var status = ReadChain(ref inner, message.Payloads, out var nested);
        return status != IkeDecodeStatus.Ok ? status : nested >= 0 ? IkeDecodeStatus.Malformed : IkeDecodeStatus.Ok;
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
        var status = ReadChain(ref reader, result.Payloads, out var skOffset, out var skType);
        if (status != IkeDecodeStatus.Ok)
        {
            return status;
        }

        if (skType == IkePayloadType.EncryptedFragment)
        {
            // A fragment goes through TryDecodeFragment and reassembly, never whole.
            return IkeDecodeStatus.Fragment;
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
    private static IkeDecodeStatus ReadChain(ref IkePayloadReader reader, List<Payload> into, out int skOffset) =>
        ReadChain(ref reader, into, out skOffset, out _);

    private static IkeDecodeStatus ReadChain(ref IkePayloadReader reader, List<Payload> into, out int skOffset, out IkePayloadType skType)
    {
        skOffset = -1;
        skType = IkePayloadType.None;
        while (reader.TryReadNext(out var payload))
        {
            if (payload.Type is IkePayloadType.Encrypted or IkePayloadType.EncryptedFragment)
            {
                skOffset = payload.Offset;
                skType = payload.Type;
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
