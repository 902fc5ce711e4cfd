namespace Visibility.Engine.Ike;

/// <summary>Notable things one IKE message showed (EVE <c>ike.events</c>; names in <see cref="IkeTrackerNames.Events"/>).</summary>
/// <remarks>Values are stable bit positions: append, never renumber.</remarks>
[Flags]
public enum IkeEvents : uint
{
    None = 0,

    /// <summary>"retransmission": the same message (same ID, flags and octets) was seen before (RFC 7296 §2.1).</summary>
    Retransmission = 1u << 0,

    /// <summary>"peer_lost_state": an unprotected INVALID_IKE_SPI with a QCD token (RFC 6290 §4.5).</summary>
    PeerLostState = 1u << 1,

    /// <summary>"invalid_ike_spi": an unprotected INVALID_IKE_SPI without a token (RFC 7296 §2.21.4).</summary>
    InvalidIkeSpi = 1u << 2,

    /// <summary>"message_id_sync": an IKEV2_MESSAGE_ID_SYNC notify was decrypted (RFC 6311 §5.1).</summary>
    MessageIdSync = 1u << 3,

    /// <summary>"replay_counter_sync": an IPSEC_REPLAY_COUNTER_SYNC notify was decrypted (RFC 6311 §5.2).</summary>
    ReplayCounterSync = 1u << 4,

    /// <summary>"failover_suspected": a request with Message ID 0 on an SA whose sender already used higher IDs, outside
    /// IKE_SA_INIT: what an RFC 6311 Message-ID sync looks like in clear (protocol-facts §5).</summary>
    FailoverSuspected = 1u << 5,

    /// <summary>"message_id_jump": a request whose Message ID skips far ahead of the sender's previous one.</summary>
    MessageIdJump = 1u << 6,

    /// <summary>"redirect": a REDIRECT notify (RFC 5685).</summary>
    Redirect = 1u << 7,

    /// <summary>"redirected_from": an IKE_SA_INIT with REDIRECTED_FROM (RFC 5685 §9.3).</summary>
    RedirectedFrom = 1u << 8,

    /// <summary>"ike_rekey": a CREATE_CHILD_SA that rekeys the IKE SA (RFC 7296 §1.3.2).</summary>
    IkeRekey = 1u << 9,

    /// <summary>"child_sa": a Child SA was negotiated (decrypted IKE_AUTH or CREATE_CHILD_SA response).</summary>
    ChildSa = 1u << 10,

    /// <summary>"resumption": an IKE_SESSION_RESUME exchange (RFC 5723 §4.3).</summary>
    Resumption = 1u << 11,

    /// <summary>"ticket": a TICKET_* notify (RFC 5723 §7).</summary>
    Ticket = 1u << 12,

    /// <summary>"eap_only": the exchange that made the SA EAP-only (RFC 5998 §3).</summary>
    EapOnly = 1u << 13,

    /// <summary>"auth_failed": AUTHENTICATION_FAILED or an EAP Failure.</summary>
    AuthFailed = 1u << 14,

    /// <summary>"integrity_failed": keys were at hand but the ICV did not verify (or the padding was bad).</summary>
    IntegrityFailed = 1u << 15,

    /// <summary>"fragment_reassembled": this IKE fragment completed its message (RFC 7383 §2.6).</summary>
    FragmentReassembled = 1u << 16,

    /// <summary>"midstream": the first message of an SA whose start was not seen.</summary>
    Midstream = 1u << 17,

    /// <summary>"qcd_token": a QUICK_CRASH_DETECTION token (RFC 6290).</summary>
    QcdToken = 1u << 18,

    /// <summary>"ike_delete": a Delete of the IKE SA.</summary>
    IkeDelete = 1u << 19,

    /// <summary>"unmatched_response": a response without the request it answers.</summary>
    UnmatchedResponse = 1u << 20,

    /// <summary>"wesp": USE_WESP_MODE (RFC 5840 §4).</summary>
    Wesp = 1u << 21,

    /// <summary>"no_proposal_chosen": NO_PROPOSAL_CHOSEN.</summary>
    NoProposalChosen = 1u << 22,
}
