using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>Stable EVE names of the tracker's values: SA states and outcomes, events, EAP codes and methods, tickets,
/// link kinds, and IKEv1 exchange types.</summary>
public static class IkeTrackerNames
{
    private static readonly (IkeEvents Event, string Name)[] s_events =
    [
        (IkeEvents.Retransmission, "retransmission"),
        (IkeEvents.PeerLostState, "peer_lost_state"),
        (IkeEvents.InvalidIkeSpi, "invalid_ike_spi"),
        (IkeEvents.MessageIdSync, "message_id_sync"),
        (IkeEvents.ReplayCounterSync, "replay_counter_sync"),
        (IkeEvents.FailoverSuspected, "failover_suspected"),
        (IkeEvents.MessageIdJump, "message_id_jump"),
        (IkeEvents.Redirect, "redirect"),
        (IkeEvents.RedirectedFrom, "redirected_from"),
        (IkeEvents.IkeRekey, "ike_rekey"),
        (IkeEvents.ChildSa, "child_sa"),
        (IkeEvents.Resumption, "resumption"),
        (IkeEvents.Ticket, "ticket"),
        (IkeEvents.EapOnly, "eap_only"),
        (IkeEvents.AuthFailed, "auth_failed"),
        (IkeEvents.IntegrityFailed, "integrity_failed"),
        (IkeEvents.FragmentReassembled, "fragment_reassembled"),
        (IkeEvents.Midstream, "midstream"),
        (IkeEvents.QcdToken, "qcd_token"),
        (IkeEvents.IkeDelete, "ike_delete"),
        (IkeEvents.UnmatchedResponse, "unmatched_response"),
        (IkeEvents.Wesp, "wesp"),
        (IkeEvents.NoProposalChosen, "no_proposal_chosen"),
    ];

    /// <summary>Every event with its name, in bit order.</summary>
    public static ReadOnlySpan<(IkeEvents Event, string Name)> Events => s_events;

    public static string State(IkeSaState state) => state switch
    {
        IkeSaState.HalfOpen => "half_open",
        IkeSaState.Established => "established",
        IkeSaState.Rekeyed => "rekeyed",
        IkeSaState.Redirected => "redirected",
        IkeSaState.AuthFailed => "auth_failed",
        IkeSaState.Deleted => "deleted",
        IkeSaState.NoProposalChosen => "no_proposal_chosen",
        IkeSaState.PeerLostState => "peer_lost_state",
        IkeSaState.ResumeRefused => "resume_refused",
        _ => "none",
    };

    /// <summary>How the SA ended: its terminal state; "timed_out" or "evicted" for a half-open or established SA that
    /// was idle or pushed out; the state itself for an SA still tracked when the input ended.</summary>
    public static string Outcome(IkeSaState state, IkeSaEnd end)
    {
        if (IkeSaStateMachine.IsTerminal(state))
        {
            return State(state);
        }
        return end switch
        {
            IkeSaEnd.TimedOut => "timed_out",
            IkeSaEnd.Evicted => "evicted",
            _ => State(state),
        };
    }

    public static string Link(IkeLinkKind kind) => kind switch
    {
        IkeLinkKind.Negotiated => "negotiated",
        IkeLinkKind.Likely => "likely",
        _ => "none",
    };

    public static string? Ticket(IkeTicketState ticket) => ticket switch
    {
        IkeTicketState.Requested => "requested",
        IkeTicketState.Issued => "issued",
        IkeTicketState.Acknowledged => "acknowledged",
        IkeTicketState.Refused => "refused",
        _ => null,
    };

    /// <summary>RFC 3748 §4 code names.</summary>
    public static string EapCode(EapCode code) => code switch
    {
        Wire.Ike.EapCode.Request => "request",
        Wire.Ike.EapCode.Response => "response",
        Wire.Ike.EapCode.Success => "success",
        Wire.Ike.EapCode.Failure => "failure",
        _ => "unknown",
    };

    /// <summary>IANA "EAP Method Types" names of the common methods; null for others.</summary>
    public static string? EapType(byte type) => type switch
    {
        1 => "Identity",
        2 => "Notification",
        3 => "Nak",
        4 => "MD5-Challenge",
        5 => "OTP",
        6 => "GTC",
        13 => "EAP-TLS",
        17 => "LEAP",
        18 => "EAP-SIM",
        21 => "EAP-TTLS",
        23 => "EAP-AKA",
        25 => "PEAP",
        26 => "EAP-MSCHAP-V2",
        43 => "EAP-FAST",
        47 => "EAP-PSK",
        48 => "EAP-SAKE",
        49 => "EAP-IKEv2",
        50 => "EAP-AKA'",
        51 => "EAP-GPSK",
        52 => "EAP-pwd",
        53 => "EAP-EKE",
        54 => "EAP-PT-EAP",
        55 => "TEAP",
        254 => "Expanded",
        _ => null,
    };

    /// <summary>IANA "ISAKMP Exchange Types" names for IKEv1 (RFC 2408 §3.1, RFC 2409); null for others.</summary>
    public static string? IkeV1Exchange(byte exchange) => exchange switch
    {
        0 => "NONE",
        1 => "Base",
        2 => "Identity Protection",
        3 => "Authentication Only",
        4 => "Aggressive",
        5 => "Informational",
        6 => "Transaction",
        32 => "Quick Mode",
        33 => "New Group Mode",
        _ => null,
    };
}
