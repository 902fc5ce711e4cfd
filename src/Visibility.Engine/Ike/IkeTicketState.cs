namespace Visibility.Engine.Ike;

/// <summary>Session resumption tickets of an IKE SA (RFC 5723 §4.1, §7).</summary>
public enum IkeTicketState : byte
{
    None = 0,

    /// <summary>"requested": TICKET_REQUEST was sent.</summary>
    Requested = 1,

    /// <summary>"issued": the gateway sent TICKET_LT_OPAQUE.</summary>
    Issued = 2,

    /// <summary>"acknowledged": TICKET_ACK (a ticket follows later).</summary>
    Acknowledged = 3,

    /// <summary>"refused": TICKET_NACK.</summary>
    Refused = 4,
}
