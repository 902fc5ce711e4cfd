using Visibility.Engine.Ike;
using Visibility.Wire.Ike;
using F = Visibility.Engine.Ike.IkeMessageFacts;
using N = Visibility.Wire.Ike.IkeNotifyType;
using S = Visibility.Engine.Ike.IkeSaState;
using X = Visibility.Wire.Ike.IkeExchangeType;

namespace Visibility.Engine.Tests.Ike;

public sealed class IkeSaStateMachineTests
{
    private const F Sk = F.Encrypted;
    private const F Dec = F.Encrypted | F.Decrypted;

    /// <summary>(state before, exchange, response, facts, notifies, state after, why).</summary>
    public static TheoryData<S, X, bool, F, N[], S, string> Transitions() => new()
    {
        // IKE_SA_INIT (RFC 7296 §1.2, §2.6)
        { S.None, X.IkeSaInit, false, F.None, [], S.HalfOpen, "first request opens the SA" },
        { S.HalfOpen, X.IkeSaInit, true, F.None, [], S.HalfOpen, "response: still half-open until IKE_AUTH" },
        { S.HalfOpen, X.IkeSaInit, true, F.None, [N.Cookie], S.HalfOpen, "COOKIE: the initiator retries under the same SPI" },
        { S.HalfOpen, X.IkeSaInit, true, F.None, [N.InvalidKePayload], S.HalfOpen, "INVALID_KE_PAYLOAD: retry with another group" },
        { S.HalfOpen, X.IkeSaInit, false, F.None, [N.Cookie, N.NatDetectionSourceIp], S.HalfOpen, "the retry carrying the cookie" },
        { S.HalfOpen, X.IkeSaInit, true, F.None, [N.NoProposalChosen], S.NoProposalChosen, "no acceptable proposal" },
        { S.HalfOpen, X.IkeSaInit, true, F.None, [N.Redirect], S.Redirected, "RFC 5685 §4: redirect during IKE_SA_INIT" },
        { S.HalfOpen, X.IkeSaInit, false, F.None, [N.Redirect], S.HalfOpen, "REDIRECT only counts in a response" },
        { S.Established, X.IkeSaInit, true, F.None, [], S.Established, "a late IKE_SA_INIT retransmission changes nothing" },
        // IKE_SESSION_RESUME (RFC 5723 §4.3.2)
        { S.None, X.IkeSessionResume, false, F.None, [N.TicketOpaque], S.HalfOpen, "resumption request" },
        { S.HalfOpen, X.IkeSessionResume, true, F.None, [N.TicketNack], S.ResumeRefused, "resumption refused" },
        { S.HalfOpen, X.IkeSessionResume, true, F.None, [], S.HalfOpen, "resumption accepted, IKE_AUTH follows" },
        // IKE_INTERMEDIATE (RFC 9242)
        { S.HalfOpen, X.IkeIntermediate, true, Sk, [], S.HalfOpen, "intermediate exchanges come before IKE_AUTH" },
        // IKE_AUTH (RFC 7296 §1.2, §2.16, §2.21.2)
        { S.HalfOpen, X.IkeAuth, false, Sk, [], S.HalfOpen, "request" },
        { S.HalfOpen, X.IkeAuth, true, Sk, [], S.Established, "response not decrypted: established by inference" },
        { S.HalfOpen, X.IkeAuth, true, Dec | F.Auth, [], S.Established, "decrypted response with AUTH" },
        { S.HalfOpen, X.IkeAuth, true, Dec | F.Eap, [], S.HalfOpen, "decrypted EAP round: not yet" },
        { S.HalfOpen, X.IkeAuth, true, Dec | F.Auth | F.Eap, [], S.HalfOpen, "RFC 7296 §2.16: responder AUTH with the first EAP request" },
        { S.HalfOpen, X.IkeAuth, true, Dec | F.Eap | F.EapSuccess, [], S.HalfOpen, "EAP Success: the AUTH exchange still follows" },
        { S.HalfOpen, X.IkeAuth, true, Dec | F.Eap | F.EapFailure, [], S.AuthFailed, "EAP Failure" },
        { S.HalfOpen, X.IkeAuth, true, Dec, [N.AuthenticationFailed], S.AuthFailed, "AUTHENTICATION_FAILED in the response" },
        { S.HalfOpen, X.IkeAuth, true, Dec | F.Auth, [N.Redirect], S.Redirected, "RFC 5685 §6: redirect in IKE_AUTH" },
        { S.HalfOpen, X.IkeAuth, true, Dec | F.Auth, [N.NoProposalChosen], S.Established, "a failed Child SA does not fail the IKE SA" },
        { S.HalfOpen, X.IkeAuth, true, F.None, [N.InvalidSyntax], S.HalfOpen, "an unprotected error answer does not establish" },
        { S.Established, X.IkeAuth, true, Dec | F.Eap, [], S.Established, "established stays" },
        { S.None, X.IkeAuth, false, Sk, [], S.HalfOpen, "capture started at IKE_AUTH" },
        { S.HalfOpen, X.IkeAuth, true, F.Partial | F.Encrypted, [], S.HalfOpen, "a fragment that does not complete its message" },
        // CREATE_CHILD_SA (RFC 7296 §1.3, §2.18)
        { S.Established, X.CreateChildSa, true, Dec | F.IkeRekey, [], S.Rekeyed, "IKE SA rekey accepted" },
        { S.Established, X.CreateChildSa, true, Dec | F.IkeRekey, [N.NoProposalChosen], S.Established, "IKE SA rekey refused" },
        { S.Established, X.CreateChildSa, true, Sk, [], S.Established, "not decrypted: a Child SA or a rekey, unknown" },
        { S.Established, X.CreateChildSa, false, Dec | F.IkeRekey, [], S.Established, "the request alone does not rekey" },
        { S.None, X.CreateChildSa, false, Sk, [], S.Established, "a protected exchange on an unseen SA: it exists" },
        // INFORMATIONAL (RFC 7296 §1.4; RFC 5685 §5)
        { S.Established, X.Informational, false, Dec | F.DeleteIkeSa, [], S.Deleted, "Delete of the IKE SA" },
        { S.Established, X.Informational, true, Dec | F.DeleteIkeSa, [], S.Deleted, "Delete seen only in the response" },
        { S.Established, X.Informational, false, Sk, [], S.Established, "not decrypted: liveness or Delete, unknown" },
        { S.Established, X.Informational, false, Dec, [N.Redirect], S.Redirected, "gateway-initiated redirect" },
        { S.Established, X.Informational, false, Dec, [N.AuthenticationFailed], S.AuthFailed, "initiator reports the responder's AUTH failed" },
        { S.None, X.Informational, false, Sk, [], S.Established, "first message seen is protected" },
        // QCD (RFC 6290 §4.5)
        { S.Established, X.Informational, true, F.QcdToken, [N.InvalidIkeSpi, N.QuickCrashDetection], S.PeerLostState, "token in clear: peer lost its state" },
        { S.Established, X.CreateChildSa, true, F.QcdToken, [N.InvalidIkeSpi, N.QuickCrashDetection], S.PeerLostState, "exchange type copied from the request" },
        { S.Established, X.Informational, true, F.None, [N.InvalidIkeSpi], S.Established, "INVALID_IKE_SPI without a token proves nothing" },
        { S.Established, X.Informational, true, Dec | F.QcdToken, [N.InvalidIkeSpi, N.QuickCrashDetection], S.Established, "protected: not the clear answer" },
        // Terminal states absorb
        { S.Rekeyed, X.Informational, false, Dec | F.DeleteIkeSa, [], S.Rekeyed, "the old SA's Delete after a rekey" },
        { S.Redirected, X.Informational, false, Dec | F.DeleteIkeSa, [], S.Redirected, "the client's Delete after a redirect" },
        { S.AuthFailed, X.IkeAuth, true, Dec | F.Auth, [], S.AuthFailed, "late retransmission" },
        { S.Deleted, X.Informational, true, Dec, [], S.Deleted, "response to the Delete" },
        { S.NoProposalChosen, X.IkeSaInit, false, F.None, [], S.NoProposalChosen, "retry after NO_PROPOSAL_CHOSEN" },
        // Unknown exchanges
        { S.Established, (X)99, false, Sk, [], S.Established, "unknown exchange type" },
    };

    [Theory]
    [Trait("rfc", "7296-1.2")]
    [MemberData(nameof(Transitions))]
    public void Advance_Table_NextState(S before, X exchange, bool response, F facts, N[] notifies, S expected, string why)
    {
        Assert.True(expected == IkeSaStateMachine.Advance(before, exchange, response, facts, notifies), why);
    }

    [Fact]
    public void Advance_EveryStateAndExchange_TerminalStatesAbsorb()
    {
        foreach (S state in Enum.GetValues<S>().Where(IkeSaStateMachine.IsTerminal))
        {
            foreach (X exchange in Enum.GetValues<X>())
            {
                foreach (bool response in new[] { false, true })
                {
                    Assert.Equal(state, IkeSaStateMachine.Advance(state, exchange, response, Dec | F.Auth | F.DeleteIkeSa | F.IkeRekey,
                        N.Redirect, N.AuthenticationFailed));
                }
            }
        }
    }

    [Theory]
    [InlineData(S.None, false)]
    [InlineData(S.HalfOpen, false)]
    [InlineData(S.Established, false)]
    [InlineData(S.Rekeyed, true)]
    [InlineData(S.Redirected, true)]
    [InlineData(S.AuthFailed, true)]
    [InlineData(S.Deleted, true)]
    [InlineData(S.NoProposalChosen, true)]
    [InlineData(S.PeerLostState, true)]
    [InlineData(S.ResumeRefused, true)]
    public void IsTerminal_EachState_AsDocumented(S state, bool terminal) => Assert.Equal(terminal, IkeSaStateMachine.IsTerminal(state));

    [Theory]
    [Trait("rfc", "7296-3.10.1")]
    [InlineData(new[] { N.NatDetectionSourceIp, N.Cookie }, false)]
    [InlineData(new[] { N.UseTransportMode, N.TsUnacceptable }, true)]
    [InlineData(new[] { N.UnsupportedCriticalPayload }, true)]
    [InlineData(new N[0], false)]
    public void HasError_ErrorTypesBelow16384_True(N[] notifies, bool expected) => Assert.Equal(expected, IkeSaStateMachine.HasError(notifies));
}
