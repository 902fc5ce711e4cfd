using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the body of a Notify payload (type 41).</summary>
/// <remarks>
/// RFC 7296 §3.10 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Protocol ID  |   SPI Size    |      Notify Message Type      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                Security Parameter Index (SPI)                 ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       Notification Data                       ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Types below 16384 are errors, the rest status. Typed views of the data: <see cref="IkeRedirectData"/>,
/// <see cref="IkeQcdTokenData"/>, <see cref="IkeTicketLtOpaqueData"/>, <see cref="IkeTicketOpaqueData"/>,
/// <see cref="IkeMessageIdSyncData"/>, <see cref="IkeReplayCounterSyncData"/>, <see cref="IkeSecurePasswordMethodsData"/>,
/// <see cref="IkeCookieData"/>, <see cref="IkeInvalidKePayloadData"/>, <see cref="IkeNatDetectionData"/>.
/// </remarks>
public readonly ref struct IkeNotifyPayload
{
    /// <summary>The first status type; smaller values are error types.</summary>
    public const ushort FirstStatusType = 16384;

    private IkeNotifyPayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    /// <summary>Wraps a Notify body; false when shorter than 4 octets or when the SPI does not fit.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out IkeNotifyPayload payload)
    {
        if (body.Length < 4 || body.Length < 4 + body[1])
        {
            payload = default;
            return false;
        }
        payload = new IkeNotifyPayload(body);
        return true;
    }

    public ProtocolId ProtocolId => (ProtocolId)Body[0];

    public byte SpiSize => Body[1];

    public IkeNotifyType NotifyType => (IkeNotifyType)BinaryPrimitives.ReadUInt16BigEndian(Body[2..]);

    public bool IsError => (ushort)NotifyType < FirstStatusType;

    public ReadOnlySpan<byte> Spi => Body.Slice(4, SpiSize);

    /// <summary>The SPI as a number when it is 4 octets (ESP/AH), else 0.</summary>
    public uint Spi32 => SpiSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(Body[4..]) : 0;

    public ReadOnlySpan<byte> Data => Body[(4 + SpiSize)..];

    /// <summary>True for the types that RFCs define with no notification data (e.g. TICKET_ACK, TICKET_NACK,
    /// TICKET_REQUEST, REDIRECT_SUPPORTED, EAP_ONLY_AUTHENTICATION, IKEV2_FRAGMENTATION_SUPPORTED).</summary>
    public static bool IsDefinedWithoutData(IkeNotifyType type) => type is
        IkeNotifyType.InvalidIkeSpi or IkeNotifyType.InvalidMajorVersion or IkeNotifyType.NoProposalChosen
        or IkeNotifyType.AuthenticationFailed or IkeNotifyType.FailedCpRequired
        or IkeNotifyType.AdditionalTsPossible or IkeNotifyType.RekeySa
        or IkeNotifyType.RedirectSupported or IkeNotifyType.TicketRequest or IkeNotifyType.TicketAck
        or IkeNotifyType.TicketNack or IkeNotifyType.EapOnlyAuthentication
        or IkeNotifyType.Ikev2MessageIdSyncSupported or IkeNotifyType.IpsecReplayCounterSyncSupported
        or IkeNotifyType.Ikev2FragmentationSupported or IkeNotifyType.IntermediateExchangeSupported;
}
