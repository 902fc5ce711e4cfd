using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>An IKEv2 message: the header fields and its payloads (those inside SK included, once decrypted).</summary>
/// <remarks>
/// RFC 7296 §3.1 header (28 octets):
/// <code>
/// | IKE SA Initiator's SPI (8) | IKE SA Responder's SPI (8) | Next Payload | MjVer|MnVer | Exchange Type | Flags |
/// | Message ID (4) | Length (4) |
/// </code>
/// </remarks>
internal sealed class IkeMessage
{
    public ulong InitiatorSpi { get; set; }

    public ulong ResponderSpi { get; set; }

    public IkeExchangeType ExchangeType { get; set; }

    public IkeFlags Flags { get; set; }

    public uint MessageId { get; set; }

    public List<Payload> Payloads { get; } = [];

    /// <summary>Whether the payloads came (or are to go) inside an SK payload.</summary>
    public bool WasEncrypted { get; set; }

    public bool IsResponse => (Flags & IkeFlags.Response) != 0;

    /// <summary>The I flag: the sender is the original initiator of the IKE SA.</summary>
    public bool FromInitiator => (Flags & IkeFlags.Initiator) != 0;

    public T? Get<T>()
        where T : Payload => Payloads.OfType<T>().FirstOrDefault();

    public IEnumerable<NotifyPayload> Notifies => Payloads.OfType<NotifyPayload>();

    public NotifyPayload? GetNotify(IkeNotifyType type) => Notifies.FirstOrDefault(n => n.NotifyType == type);

    public IdentificationPayload? GetIdentification(bool initiator) =>
        Payloads.OfType<IdentificationPayload>().FirstOrDefault(p => p.IsInitiator == initiator);

    public TrafficSelectorPayload? GetTrafficSelectors(bool initiator) =>
        Payloads.OfType<TrafficSelectorPayload>().FirstOrDefault(p => p.IsInitiator == initiator);

    public static IkeMessage Create(ulong spiI, ulong spiR, IkeExchangeType exchange, uint messageId, bool response, bool fromInitiator, params Payload[] payloads)
    {
        var message = new IkeMessage
        {
            InitiatorSpi = spiI,
            ResponderSpi = spiR,
            ExchangeType = exchange,
            MessageId = messageId,
            Flags = (response ? IkeFlags.Response : IkeFlags.None) | (fromInitiator ? IkeFlags.Initiator : IkeFlags.None),
        };
        message.Payloads.AddRange(payloads);
        return message;
    }

    public override string ToString()
    {
        var names = string.Join(", ", Payloads.Select(PayloadName));
        var exchange = IkeNames.GetName(ExchangeType);
        return $"{exchange} {(IsResponse ? "response" : "request")} {MessageId} [{names}]";
    }

    private static string PayloadName(Payload payload) => payload switch
    {
        SecurityAssociationPayload => "SA",
        KeyExchangePayload => "KE",
        NoncePayload => "No",
        NotifyPayload n => $"N({IkeNames.GetName(n.NotifyType)})",
        IdentificationPayload i => i.IsInitiator ? "IDi" : "IDr",
        AuthenticationPayload => "AUTH",
        TrafficSelectorPayload t => t.IsInitiator ? "TSi" : "TSr",
        DeletePayload => "D",
        EapPayload => "EAP",
        _ => IkeNames.GetName(payload.PayloadType),
    };
}
