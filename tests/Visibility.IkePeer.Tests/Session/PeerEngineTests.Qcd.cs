using System.Diagnostics;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>Quick Crash Detection (RFC 6290) between engines.</summary>
public sealed partial class PeerEngineTests
{
    [Fact]
    [Trait("rfc", "6290-4.2")]
    public async Task Qcd_ResponderIsMaker_InitiatorKeepsATokenPerSa()
    {
        using var pair = new LoopbackPair(responderOptions: o => o with { Qcd = true });

        var first = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var second = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.Equal(32, first.QcdToken!.Length);
        Assert.Equal(32, second.QcdToken!.Length);
        Assert.NotEqual(first.QcdToken, second.QcdToken);
        Assert.All(pair.Responder.Sessions, s => Assert.Null(s.QcdToken));   // the initiator is no maker
    }

    [Fact]
    [Trait("rfc", "6290-4.5")]
    public async Task Qcd_ResponderCrashed_FirstRequestProvesItAtOnce()
    {
        using var pair = new LoopbackPair(responderOptions: o => o with { Qcd = true, SimulateCrash = true });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        Assert.Empty(pair.Responder.Sessions);
        var reported = pair.Responder.WhenCrashReported;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PeerLostException>(() => pair.Initiator.DeleteAsync(session, LoopbackPair.Timeout));

        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(190), $"took {clock.Elapsed}");   // before the first retransmission
        Assert.Contains("QCD token", error.Message, StringComparison.Ordinal);
        Assert.Equal(IkeSaState.Lost, session.State);
        Assert.Equal(0, session.Retransmissions);
        Assert.Empty(pair.Initiator.Sessions);
        await reported.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    [Trait("rfc", "6290-4.5")]
    public async Task Qcd_TokenDoesNotMatch_ResponseIgnoredAndRequestTimesOut()
    {
        using var pair = new LoopbackPair(responderOptions: o => o with { Qcd = true, SimulateCrash = true });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        session.QcdToken = new byte[32];

        Assert.False(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));

        Assert.Equal(IkeSaState.Established, session.State);
        Assert.Equal(3, session.Retransmissions);
    }

    [Fact]
    [Trait("rfc", "6290-3")]
    public async Task Qcd_ResponderNoMaker_CrashGoesUnnoticedUntilTimeout()
    {
        using var pair = new LoopbackPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        Assert.Null(session.QcdToken);
        pair.Responder.SimulateCrash();

        Assert.False(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));

        Assert.Equal(IkeSaState.Established, session.State);
        Assert.Equal(3, session.Retransmissions);
    }

    [Fact]
    [Trait("rfc", "6290-4.3")]
    public async Task Qcd_IkeRekeyedEitherWay_NewSaGetsItsOwnToken()
    {
        using var pair = new LoopbackPair(initiatorOptions: o => o with { Qcd = true }, responderOptions: o => o with { Qcd = true });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        Assert.NotNull(Assert.Single(pair.Responder.Sessions).QcdToken);

        // We request the rekey: the responder's token comes in the CREATE_CHILD_SA response, ours in an INFORMATIONAL.
        var replacement = await pair.Initiator.RekeyIkeAsync(session, LoopbackPair.Timeout);
        Assert.NotNull(replacement.QcdToken);
        Assert.NotEqual(session.QcdToken, replacement.QcdToken);
        var responderSide = Assert.Single(pair.Responder.Sessions);
        Assert.NotNull(responderSide.QcdToken);

        // Then the responder's state goes: the new token proves it.
        pair.Responder.SimulateCrash();
        await Assert.ThrowsAsync<PeerLostException>(() => pair.Initiator.DeleteAsync(session, LoopbackPair.Timeout));
        Assert.Equal(IkeSaState.Lost, replacement.State);
    }
}
