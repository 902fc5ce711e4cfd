using Visibility.Wire.Ike.Keys;

namespace Visibility.Wire.Ike;

/// <summary>The two directions of one IKE SA's SK protection: picks SK_ei/SK_ai or SK_er/SK_ar by the I flag and
/// decrypts a message's SK or SKF payload.</summary>
/// <remarks>RFC 7296 §2.14: SK_ai/SK_ei protect messages sent by the original initiator (I flag set), SK_ar/SK_er
/// the others. Built once per SA (allocates); decrypting allocates nothing beyond the pooled AES-GCM scratch.
/// Not thread-safe.</remarks>
public sealed class IkeSaDecryptor : IDisposable
{
    public IkeSaDecryptor(IkeSkDecryptor initiatorToResponder, IkeSkDecryptor responderToInitiator)
    {
        ArgumentNullException.ThrowIfNull(initiatorToResponder);
        ArgumentNullException.ThrowIfNull(responderToInitiator);
        InitiatorToResponder = initiatorToResponder;
        ResponderToInitiator = responderToInitiator;
    }

    /// <summary>Uses SK_ei/SK_ai: messages with the I flag set.</summary>
    public IkeSkDecryptor InitiatorToResponder { get; }

    /// <summary>Uses SK_er/SK_ar: messages with the I flag clear.</summary>
    public IkeSkDecryptor ResponderToInitiator { get; }

    /// <summary>Builds both directions from negotiated transforms and the four keys of RFC 7296 §2.14.</summary>
    public static IkeSaDecryptor Create(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity,
        ReadOnlySpan<byte> skEi, ReadOnlySpan<byte> skEr, ReadOnlySpan<byte> skAi, ReadOnlySpan<byte> skAr)
    {
        var initiator = new IkeSkDecryptor(encryption, skEi, integrity, skAi);
        try
        {
            return new IkeSaDecryptor(initiator, new IkeSkDecryptor(encryption, skEr, integrity, skAr));
        }
        catch
        {
            initiator.Dispose();
            throw;
        }
    }

    /// <summary>Builds both directions from a key-file row. Integrity names without a transform ID (the
    /// "[No Checking]" entries and HMAC_SHA2_256_96) strip their ICV without verifying it, as does a non-AEAD
    /// cipher with "NONE".</summary>
    /// <exception cref="NotSupportedException">The row's cipher cannot be decrypted here (3DES, CCM).</exception>
    public static IkeSaDecryptor FromKeyTableEntry(IkeKeyTableEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Integrity is { } integrity && (IkeAlgorithms.IsAead(entry.Encryption) || integrity != IntegrityAlgorithm.None))
        {
            return Create(entry.Encryption, integrity, entry.InitiatorEncryptionKey, entry.ResponderEncryptionKey,
                entry.InitiatorIntegrityKey, entry.ResponderIntegrityKey);
        }
        var initiator = IkeSkDecryptor.CreateWithUncheckedIcv(entry.Encryption, entry.InitiatorEncryptionKey, entry.IcvLength);
        try
        {
            return new IkeSaDecryptor(initiator, IkeSkDecryptor.CreateWithUncheckedIcv(entry.Encryption, entry.ResponderEncryptionKey, entry.IcvLength));
        }
        catch
        {
            initiator.Dispose();
            throw;
        }
    }

    /// <summary>The decryptor for a message with the given I flag.</summary>
    public IkeSkDecryptor ForDirection(bool initiatorFlag) => initiatorFlag ? InitiatorToResponder : ResponderToInitiator;

    /// <summary>Finds the SK or SKF payload of <paramref name="message"/> (from the first IKE header octet) and decrypts it
    /// with the keys of the sender's direction.</summary>
    public IkeDecryptResult Decrypt(ReadOnlySpan<byte> message, Span<byte> plaintext)
    {
        if (!IkeHeader.TryRead(message, out IkeHeader header) || !header.IsIkeV2)
        {
            return new IkeDecryptResult { Status = IkeDecryptStatus.NotEncrypted };
        }
        IkePayloadReader reader = IkePayloadReader.ForMessage(header);
        while (reader.TryReadNext(out IkePayload payload))
        {
            if (payload.Type is IkePayloadType.Encrypted or IkePayloadType.EncryptedFragment)
            {
                return ForDirection(header.IsInitiator).Decrypt(header.Message, payload.Type, payload.Offset, plaintext);
            }
        }
        return new IkeDecryptResult { Status = IkeDecryptStatus.NotEncrypted };
    }

    /// <summary>Decrypts the SK/SKF payload located by a summary of the same message.</summary>
    public IkeDecryptResult Decrypt(ReadOnlySpan<byte> message, in IkeMessageSummary summary, Span<byte> plaintext)
    {
        if (!summary.IsIkeV2 || !summary.Payloads.HasEncrypted)
        {
            return new IkeDecryptResult { Status = IkeDecryptStatus.NotEncrypted };
        }
        ReadOnlySpan<byte> bytes = message.Length > summary.MessageLength ? message[..summary.MessageLength] : message;
        return ForDirection(summary.IsInitiator).Decrypt(bytes, summary.Payloads.EncryptedPayloadType, summary.Payloads.EncryptedOffset, plaintext);
    }

    public void Dispose()
    {
        InitiatorToResponder.Dispose();
        ResponderToInitiator.Dispose();
    }
}
