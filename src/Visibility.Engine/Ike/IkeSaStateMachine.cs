using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>The IKE SA state machine as a pure function of (state, exchange, direction, facts, notify types).</summary>
/// <remarks>
/// Transitions (RFC 7296 §1.2-§1.4, §2.21; RFC 5685; RFC 5723; RFC 6290):
/// <list type="bullet">
/// <item>Terminal states (<see cref="IkeSaState.Rekeyed"/> and after) absorb every message; a fragment that does not
///   complete its message changes nothing.</item>
/// <item>An unprotected response with INVALID_IKE_SPI and a QCD token: <see cref="IkeSaState.PeerLostState"/>.</item>
/// <item>IKE_SA_INIT / IKE_SESSION_RESUME response: NO_PROPOSAL_CHOSEN ends the SA; REDIRECT redirects it;
///   TICKET_NACK refuses a resumption; anything else (COOKIE and INVALID_KE_PAYLOAD included, after which the
///   initiator retries under the same SPI) leaves it half-open.</item>
/// <item>IKE_AUTH: AUTHENTICATION_FAILED or an EAP Failure fail it; REDIRECT in the response redirects it; a response
///   that was not decrypted establishes it by inference (an error would be inside SK); a decrypted one establishes it
///   only when it carries AUTH and no EAP (the responder's AUTH beside an EAP request, and the EAP rounds, leave it
///   half-open until the final AUTH, RFC 7296 §2.16).</item>
/// <item>CREATE_CHILD_SA: a decrypted response accepting an IKE proposal without an error notify rekeys it.</item>
/// <item>INFORMATIONAL: AUTHENTICATION_FAILED, REDIRECT, or a decrypted Delete of the IKE SA (request or response).</item>
/// <item>A protected exchange on an SA never seen before (capture started mid-session) means it is established.</item>
/// </list>
/// </remarks>
public static class IkeSaStateMachine
{
    /// <summary>True for the states that absorb every further message.</summary>
    public static bool IsTerminal(IkeSaState state) => state >= IkeSaState.Rekeyed;

    /// <summary>The state after one message.</summary>
    /// <param name="state">The SA's state before the message.</param>
    /// <param name="exchange">The message's exchange type.</param>
    /// <param name="isResponse">The R flag.</param>
    /// <param name="facts">What the message shows (decrypted or not, AUTH, EAP, Delete, rekey, QCD).</param>
    /// <param name="notifies">The Notify types of the message, clear and (when decrypted) inner.</param>
    public static IkeSaState Advance(IkeSaState state, IkeExchangeType exchange, bool isResponse, IkeMessageFacts facts,
        params ReadOnlySpan<IkeNotifyType> notifies)
    {
        if (IsTerminal(state) || (facts & IkeMessageFacts.Partial) != 0)
        {
            return state;
        }
        bool decrypted = (facts & IkeMessageFacts.Decrypted) != 0;
        bool encrypted = (facts & IkeMessageFacts.Encrypted) != 0;
        if (isResponse && !encrypted && notifies.Contains(IkeNotifyType.InvalidIkeSpi) && (facts & IkeMessageFacts.QcdToken) != 0)
        {
            return IkeSaState.PeerLostState;
        }
        switch (exchange)
        {
            case IkeExchangeType.IkeSaInit:
            case IkeExchangeType.IkeSessionResume:
                if (isResponse)
                {
                    if (notifies.Contains(IkeNotifyType.NoProposalChosen))
                    {
                        return IkeSaState.NoProposalChosen;
                    }
                    if (notifies.Contains(IkeNotifyType.Redirect))
                    {
                        return IkeSaState.Redirected;
                    }
                    if (exchange == IkeExchangeType.IkeSessionResume && notifies.Contains(IkeNotifyType.TicketNack))
                    {
                        return IkeSaState.ResumeRefused;
                    }
                }
                return state == IkeSaState.None ? IkeSaState.HalfOpen : state;
            case IkeExchangeType.IkeIntermediate:
                return state == IkeSaState.None ? IkeSaState.HalfOpen : state;
            case IkeExchangeType.IkeAuth:
                if (notifies.Contains(IkeNotifyType.AuthenticationFailed) || (facts & IkeMessageFacts.EapFailure) != 0)
                {
                    return IkeSaState.AuthFailed;
                }
                if (!isResponse)
                {
                    return state == IkeSaState.None ? IkeSaState.HalfOpen : state;
                }
                if (notifies.Contains(IkeNotifyType.Redirect))
                {
                    return IkeSaState.Redirected;
                }
                if (state == IkeSaState.Established)
                {
                    return state;
                }
                if (decrypted)
                {
                    // The final response carries AUTH and no EAP; a responder's AUTH beside an EAP request opens the EAP rounds.
                    return (facts & (IkeMessageFacts.Auth | IkeMessageFacts.Eap)) == IkeMessageFacts.Auth ? IkeSaState.Established : IkeSaState.HalfOpen;
                }
                // Not decrypted: an IKE_AUTH response in SK is the end of the exchange as far as the wire shows; an
                // unprotected one carries only an error.
                return encrypted ? IkeSaState.Established : IkeSaState.HalfOpen;
            case IkeExchangeType.CreateChildSa:
                if (isResponse && decrypted && (facts & IkeMessageFacts.IkeRekey) != 0 && !HasError(notifies))
                {
                    return IkeSaState.Rekeyed;
                }
                return Midstream(state, encrypted);
            case IkeExchangeType.Informational:
                if (notifies.Contains(IkeNotifyType.AuthenticationFailed))
                {
                    return IkeSaState.AuthFailed;
                }
                if (notifies.Contains(IkeNotifyType.Redirect))
                {
                    return IkeSaState.Redirected;
                }
                if (decrypted && (facts & IkeMessageFacts.DeleteIkeSa) != 0)
                {
                    return IkeSaState.Deleted;
                }
                return Midstream(state, encrypted);
            default:
                return state;
        }
    }

    /// <summary>True when any Notify is an error type (below 16384, RFC 7296 §3.10.1).</summary>
    public static bool HasError(ReadOnlySpan<IkeNotifyType> notifies)
    {
        foreach (IkeNotifyType type in notifies)
        {
            if (type != IkeNotifyType.None && (ushort)type < IkeNotifyPayload.FirstStatusType)
            {
                return true;
            }
        }
        return false;
    }

    private static IkeSaState Midstream(IkeSaState state, bool encrypted) =>
        state == IkeSaState.None && encrypted ? IkeSaState.Established : state;
}
