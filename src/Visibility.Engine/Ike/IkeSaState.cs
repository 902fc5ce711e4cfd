namespace Visibility.Engine.Ike;

/// <summary>Where an IKE SA stands, as a passive observer can tell (EVE <c>ike_sa.state</c>, named by
/// <see cref="IkeTrackerNames.State"/>).</summary>
/// <remarks>RFC 7296 §1.2-§1.4, §2.21; RFC 5685 (redirect); RFC 6290 (QCD); RFC 5723 (resumption). States from
/// <see cref="Rekeyed"/> on are terminal: further messages of the SA (a Delete after a rekey or a redirect,
/// retransmissions) do not change them. Values are stable: append, never renumber.</remarks>
public enum IkeSaState : byte
{
    /// <summary>No message processed yet.</summary>
    None = 0,

    /// <summary>IKE_SA_INIT (or IKE_SESSION_RESUME) seen, authentication not complete: RFC 7296's half-open SA.</summary>
    HalfOpen = 1,

    /// <summary>IKE_AUTH completed: known when its response was decrypted and carried AUTH, inferred from an
    /// IKE_AUTH response without an error notify otherwise.</summary>
    Established = 2,

    /// <summary>Replaced by a new IKE SA through CREATE_CHILD_SA (RFC 7296 §1.3.2, §2.18).</summary>
    Rekeyed = 3,

    /// <summary>The gateway sent REDIRECT (RFC 5685 §4-§6) in IKE_SA_INIT, IKE_AUTH or INFORMATIONAL.</summary>
    Redirected = 4,

    /// <summary>AUTHENTICATION_FAILED, or an EAP Failure (RFC 7296 §2.21.2).</summary>
    AuthFailed = 5,

    /// <summary>An INFORMATIONAL Delete of the IKE SA (RFC 7296 §1.4.1).</summary>
    Deleted = 6,

    /// <summary>IKE_SA_INIT answered with NO_PROPOSAL_CHOSEN (RFC 7296 §2.21.1).</summary>
    NoProposalChosen = 7,

    /// <summary>An unprotected INVALID_IKE_SPI with a QCD token answered a request of this SA: the peer lost its
    /// state (RFC 6290 §4.5).</summary>
    PeerLostState = 8,

    /// <summary>IKE_SESSION_RESUME answered with TICKET_NACK (RFC 5723 §4.3.2).</summary>
    ResumeRefused = 9,
}
