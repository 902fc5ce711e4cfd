namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of TICKET_OPAQUE (16413): the ticket, in an IKE_SESSION_RESUME request.</summary>
/// <remarks>RFC 5723 §7.2. The ticket format is the gateway's own; it is the same octets each time it is presented,
/// so it links resumptions of one session.</remarks>
public readonly ref struct IkeTicketOpaqueData
{
    private IkeTicketOpaqueData(ReadOnlySpan<byte> ticket) => Ticket = ticket;

    public ReadOnlySpan<byte> Ticket { get; }

    /// <summary>False when the ticket is empty.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeTicketOpaqueData ticket)
    {
        if (data.IsEmpty)
        {
            ticket = default;
            return false;
        }
        ticket = new IkeTicketOpaqueData(data);
        return true;
    }
}
