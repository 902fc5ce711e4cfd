using Visibility.Wire.Ike;
using Visibility.Wire.Ike.Keys;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Engine.Tests.Ike.Support;

/// <summary>Builds the messages of one IKE SA: clear ones with <see cref="IkeMessageBuilder"/>, protected ones with the
/// independent <see cref="IkeSkTestEncryptor"/> under AES-CBC-128 + HMAC-SHA2-256-128 keys, which
/// <see cref="KeyEntry"/> hands to the tracker.</summary>
internal sealed class IkeConversation
{
    public IkeConversation(ulong initiatorSpi = 0x1111222233334444, ulong responderSpi = 0x5555666677778888)
    {
        InitiatorSpi = initiatorSpi;
        ResponderSpi = responderSpi;
    }

    public ulong InitiatorSpi { get; }

    public ulong ResponderSpi { get; }

    public byte[] SkEi { get; } = IkeSkTestEncryptor.Key(16, 0x10);

    public byte[] SkEr { get; } = IkeSkTestEncryptor.Key(16, 0x30);

    public byte[] SkAi { get; } = IkeSkTestEncryptor.Key(32, 0x50);

    public byte[] SkAr { get; } = IkeSkTestEncryptor.Key(32, 0x70);

    /// <summary>The <c>ikev2_decryption_table</c> row of this SA.</summary>
    public IkeKeyTableEntry KeyEntry => new()
    {
        InitiatorSpi = InitiatorSpi,
        ResponderSpi = ResponderSpi,
        InitiatorEncryptionKey = SkEi,
        ResponderEncryptionKey = SkEr,
        EncryptionName = "AES-CBC-128 [RFC3602]",
        Encryption = EncryptionAlgorithm.AesCbc,
        EncryptionKeyLength = 128,
        InitiatorIntegrityKey = SkAi,
        ResponderIntegrityKey = SkAr,
        IntegrityName = "HMAC_SHA2_256_128 [RFC4868]",
        Integrity = IntegrityAlgorithm.HmacSha2_256_128,
        IcvLength = 16,
        ChecksIntegrity = true,
    };

    /// <summary>A clear message. <paramref name="responderSpi"/> defaults to 0 for IKE_SA_INIT requests and the SA's
    /// responder SPI otherwise.</summary>
    public byte[] Clear(IkeExchangeType exchange, bool fromInitiator, bool response, uint messageId, ulong? responderSpi,
        params (IkePayloadType Type, byte[] Body)[] payloads)
    {
        var builder = new IkeMessageBuilder
        {
            InitiatorSpi = InitiatorSpi,
            ResponderSpi = responderSpi ?? ResponderSpi,
            ExchangeType = (byte)exchange,
            Flags = Flags(fromInitiator, response),
            MessageId = messageId,
        };
        foreach ((IkePayloadType type, byte[] body) in payloads)
        {
            builder.Add(type, body);
        }
        return builder.Build();
    }

    /// <summary>A message whose payloads are all inside SK.</summary>
    public byte[] Protected(IkeExchangeType exchange, bool fromInitiator, bool response, uint messageId, params (IkePayloadType Type, byte[] Body)[] inner)
    {
        byte[] chain = IkeMessageBuilder.Chain(inner.Select(p => ((byte)p.Type, p.Body)).ToList());
        return IkeSkTestEncryptor.Protect(Parameters(exchange, fromInitiator, response, messageId, null, chain.Length), inner.Length > 0 ? inner[0].Type : IkePayloadType.None, chain);
    }

    /// <summary>The same message cut into <paramref name="count"/> SKF fragments (RFC 7383 §2.5): the inner chain is split
    /// into chunks and each is protected on its own; only fragment 1 names the first inner payload.</summary>
    public byte[][] Fragments(IkeExchangeType exchange, bool fromInitiator, bool response, uint messageId, int count,
        params (IkePayloadType Type, byte[] Body)[] inner)
    {
        byte[] chain = IkeMessageBuilder.Chain(inner.Select(p => ((byte)p.Type, p.Body)).ToList());
        int chunk = (chain.Length + count - 1) / count;
        var fragments = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            byte[] part = chain.Skip(i * chunk).Take(chunk).ToArray();
            IkeSkTestEncryptor.Parameters p = Parameters(exchange, fromInitiator, response, messageId, ((ushort)(i + 1), (ushort)count), part.Length);
            fragments[i] = IkeSkTestEncryptor.Protect(p, i == 0 ? inner[0].Type : IkePayloadType.None, part);
        }
        return fragments;
    }

    private IkeSkTestEncryptor.Parameters Parameters(IkeExchangeType exchange, bool fromInitiator, bool response, uint messageId, (ushort, ushort)? fragment, int chainLength) => new()
    {
        InitiatorSpi = InitiatorSpi,
        ResponderSpi = ResponderSpi,
        ExchangeType = (byte)exchange,
        Flags = Flags(fromInitiator, response),
        MessageId = messageId,
        Encryption = EncryptionAlgorithm.AesCbc,
        EncryptionKey = fromInitiator ? SkEi : SkEr,
        Integrity = IntegrityAlgorithm.HmacSha2_256_128,
        IntegrityKey = fromInitiator ? SkAi : SkAr,
        // AES-CBC: payloads, Padding and Pad Length fill whole 16-octet blocks (RFC 7296 §3.14).
        PadLength = (byte)((16 - ((chainLength + 1) % 16)) % 16),
        Fragment = fragment,
    };

    private static byte Flags(bool fromInitiator, bool response) => (byte)((fromInitiator ? 0x08 : 0) | (response ? 0x20 : 0));
}
