using Visibility.Engine.Ike;
using Visibility.Engine.Tests.Ike.Support;
using Visibility.Wire;
using Visibility.Wire.Ike;
using P = Visibility.Wire.Ike.IkePayloadType;

namespace Visibility.Engine.Tests.Ike;

/// <summary>The tracker over hand-made exchanges: SA identity, retries, retransmissions, states and the clear signs.</summary>
public sealed partial class IkeTrackerTests
{
    private static (P, byte[])[] InitRequest(params (P, byte[])[] extra) =>
        [(P.SecurityAssociation, IkePayloads.IkeSa()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048)), (P.Nonce, IkePayloads.Nonce()), .. extra];

    private static (P, byte[])[] InitResponse(params (P, byte[])[] extra) =>
        [(P.SecurityAssociation, IkePayloads.IkeSa()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048)), (P.Nonce, IkePayloads.Nonce(0x6E)), .. extra];

    /// <summary>IKE_SA_INIT request and response.</summary>
    private static void Init(IkeHarness h, IkeConversation c)
    {
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, null, InitResponse()), byInitiatorHost: false);
    }

    [Fact]
    [Trait("rfc", "7296-1.2")]
    public void IkeSaInit_RequestAndResponse_OneHalfOpenSaWithBothSpis()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        IkeMessageSnapshot request = h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        IkeMessageSnapshot response = h.Send(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, null, InitResponse()), byInitiatorHost: false);

        Assert.Equal(IkeSaState.HalfOpen, request.SaState);
        Assert.Null(request.Decrypted);
        Assert.Equal([P.SecurityAssociation, P.KeyExchange, P.Nonce], response.Payloads);
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(c.InitiatorSpi, sa.InitiatorSpi);
        Assert.Equal(c.ResponderSpi, sa.ResponderSpi);
        Assert.Equal(IkeHarness.InitiatorHost, sa.Initiator);
        Assert.Equal(IkeHarness.ResponderHost, sa.Responder);
        Assert.Equal("half_open", sa.Outcome);
        Assert.Equal(IkeSaEnd.Shutdown, sa.End);
        Assert.Equal(4, sa.OfferedTransforms);
        Assert.Equal(4, sa.ChosenTransforms);
        Assert.Equal(2, sa.Messages);
        Assert.False(sa.Midstream);
    }

    [Fact]
    [Trait("rfc", "7296-2.6")]
    public void CookieRetry_SameInitiatorSpi_OneSa()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        byte[] cookie = IkePayloads.Fill(20, 0xC0);
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.Cookie, cookie))), byInitiatorHost: false);
        IkeMessageSnapshot retry = h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0,
            [(P.Notify, IkePayloads.Notify(IkeNotifyType.Cookie, cookie)), .. InitRequest()]));
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, null, InitResponse()), byInitiatorHost: false);

        Assert.False(retry.Events.HasFlag(IkeEvents.Retransmission));
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(1, sa.CookieRetries);
        Assert.Equal(4, sa.Messages);
        Assert.Equal(0, sa.Retransmissions);
        Assert.Equal(c.ResponderSpi, sa.ResponderSpi);
    }

    [Fact]
    [Trait("rfc", "7296-1.2")]
    public void InvalidKePayload_RetryWithOtherGroup_OneSa()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.InvalidKePayload, [0, 19]))),
            byInitiatorHost: false);
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0,
            (P.SecurityAssociation, IkePayloads.IkeSa()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Ecp256, 64)), (P.Nonce, IkePayloads.Nonce())));
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, null, InitResponse()), byInitiatorHost: false);

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(1, sa.InvalidKeRetries);
        Assert.Equal(IkeSaState.HalfOpen, sa.State);
    }

    [Fact]
    [Trait("rfc", "7296-2.21.1")]
    public void NoProposalChosen_InInitResponse_EndsSaAfterLinger()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        IkeMessageSnapshot refusal = h.Send(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, 0,
            (P.Notify, IkePayloads.Notify(IkeNotifyType.NoProposalChosen))), byInitiatorHost: false);
        Assert.Equal(IkeSaState.NoProposalChosen, refusal.SaState);
        Assert.True(refusal.Events.HasFlag(IkeEvents.NoProposalChosen));
        Assert.Empty(h.Sink.Sas);

        h.Advance(TimeSpan.FromSeconds(31));
        h.Tracker.Expire(h.Now);
        IkeSaSnapshot sa = Assert.Single(h.Sink.Sas);
        Assert.Equal("no_proposal_chosen", sa.Outcome);
        Assert.Equal(IkeSaEnd.Terminal, sa.End);
    }

    [Fact]
    [Trait("rfc", "7296-2.1")]
    public void Retransmission_SameOctets_CountedAndFlagged()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        byte[] request = c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest());
        IkeMessageSnapshot first = h.Send(request);
        IkeMessageSnapshot again = h.Send(request);
        IkeMessageSnapshot third = h.Send(request);

        Assert.False(first.Events.HasFlag(IkeEvents.Retransmission));
        Assert.True(again.Events.HasFlag(IkeEvents.Retransmission));
        Assert.True(third.Events.HasFlag(IkeEvents.Retransmission));
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(3, sa.Messages);
        Assert.Equal(2, sa.Retransmissions);
    }

    [Fact]
    public void SameSpiFromOtherHosts_SecondSa()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()), from: NetworkAddress.Parse("203.0.113.9"));

        IReadOnlyList<IkeSaSnapshot> sas = h.Finish();
        Assert.Equal(2, sas.Count);
        Assert.All(sas, sa => Assert.Equal(c.InitiatorSpi, sa.InitiatorSpi));
        Assert.Equal(2, h.Tracker.Counters.SasCreated);
    }

    [Fact]
    [Trait("rfc", "7296-2.23")]
    public void ResponderSpiKnown_EndpointMoved_SameSa()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2), from: NetworkAddress.Parse("203.0.113.50"));

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(3, sa.Messages);
    }

    [Fact]
    [Trait("rfc", "5685-5")]
    public void RedirectedFromWithoutSeenRedirect_WithoutKeys_LinkedToTheClientsSaWithThatGateway()
    {
        var h = new IkeHarness();
        var first = new IkeConversation(0x1000000000000001, 0x1100000000000011);
        Init(h, first);
        h.Send(first.Protected(IkeExchangeType.IkeAuth, true, false, 1, (P.IdentificationInitiator, IkePayloads.Fqdn("a.test"))));
        h.Send(first.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.IdentificationResponder, IkePayloads.Fqdn("b.test"))), byInitiatorHost: false);
        // The REDIRECT came encrypted (INFORMATIONAL); the client's next IKE_SA_INIT names the gateway it left.
        h.Send(first.Protected(IkeExchangeType.Informational, false, false, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.InitialContact))), byInitiatorHost: false);
        var second = new IkeConversation(0x2000000000000002, 0);
        byte[] redirectedFrom = IkePayloads.RedirectData(GatewayIdentityType.IPv4Address, IkePayloads.Ipv4(IkeHarness.ResponderHost.ToString()));
        h.Send(second.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.RedirectedFrom, redirectedFrom)))),
            to: NetworkAddress.Parse("203.0.113.7"));
        var third = new IkeConversation(0x3000000000000003, 0);
        byte[] elsewhere = IkePayloads.RedirectData(GatewayIdentityType.IPv4Address, IkePayloads.Ipv4("198.51.100.99"));
        h.Send(third.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.RedirectedFrom, elsewhere)))),
            to: NetworkAddress.Parse("203.0.113.8"));

        h.Finish();
        Assert.Equal(first.InitiatorSpi, h.Sa(second.InitiatorSpi).RedirectedFromSa);
        Assert.Null(h.Sa(first.InitiatorSpi).RedirectedTo);
        // No SA between the client and the named gateway: nothing to link.
        Assert.Equal("198.51.100.99", h.Sa(third.InitiatorSpi).RedirectedFrom);
        Assert.Equal(0ul, h.Sa(third.InitiatorSpi).RedirectedFromSa);
    }

    [Fact]
    [Trait("rfc", "7296-1.2")]
    public void IkeAuthResponse_WithoutKeys_EstablishedByInference()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        Init(h, c);
        IkeMessageSnapshot request = h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, (P.IdentificationInitiator, IkePayloads.Fqdn("a.test"))));
        IkeMessageSnapshot response = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.IdentificationResponder, IkePayloads.Fqdn("b.test"))),
            byInitiatorHost: false);

        Assert.False(request.Decrypted);
        Assert.Equal(IkeDecryption.NoKeys, request.Decryption);
        Assert.Equal(IkeSaState.HalfOpen, request.SaState);
        Assert.Equal(IkeSaState.Established, response.SaState);
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.False(sa.EstablishedByDecryption);
        Assert.Null(sa.InitiatorId);
        Assert.Equal("established", sa.Outcome);
    }

    [Fact]
    public void HalfOpen_IdlePastTimeout_TimedOut()
    {
        var h = new IkeHarness(new IkeTrackerOptions { HalfOpenTimeout = TimeSpan.FromSeconds(10) });
        var c = new IkeConversation();
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        h.Advance(TimeSpan.FromSeconds(9));
        h.Tracker.Expire(h.Now);
        Assert.Empty(h.Sink.Sas);
        h.Advance(TimeSpan.FromSeconds(2));
        h.Tracker.Expire(h.Now);

        IkeSaSnapshot sa = Assert.Single(h.Sink.Sas);
        Assert.Equal(IkeSaState.HalfOpen, sa.State);
        Assert.Equal("timed_out", sa.Outcome);
        Assert.Equal(0, h.Tracker.Count);
    }

    [Fact]
    public void Capacity_Full_OldestHalfOpenEvicted()
    {
        var h = new IkeHarness(new IkeTrackerOptions { Capacity = 2 });
        var a = new IkeConversation(0xA1, 0xA2);
        var b = new IkeConversation(0xB1, 0xB2);
        var c = new IkeConversation(0xC1, 0xC2);
        h.Send(a.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        h.Send(b.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));
        h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest()));

        IkeSaSnapshot evicted = Assert.Single(h.Sink.Sas);
        Assert.Equal(0xA1UL, evicted.InitiatorSpi);
        Assert.Equal("evicted", evicted.Outcome);
        Assert.Equal(2, h.Tracker.Count);
    }

    [Fact]
    public void IkeV1_Recognised_CountedNotParsed()
    {
        var h = new IkeHarness();
        byte[] v1 = new Wire.Tests.Ike.Support.IkeMessageBuilder { Version = 0x10, ExchangeType = 2, Flags = 0 }
            .Add(1, IkePayloads.Fill(40, 1)).Build();
        IkeMessageSnapshot record = h.Send(v1);

        Assert.Equal(1, record.Version);
        Assert.Empty(record.Payloads);
        Assert.Equal(IkeSaState.None, record.SaState);
        Assert.Equal(1, h.Tracker.Counters.IkeV1);
        Assert.Empty(h.Finish());
        Assert.Empty(h.Sink.Anomalies);
    }

    [Fact]
    public void TooShortForHeader_AnomalyOnly()
    {
        var h = new IkeHarness();
        IkeMessageSnapshot record = h.Send(new byte[27]);

        Assert.Same(IkeMessageSnapshot.None, record);
        Assert.Equal(DecodeAnomaly.IkePacketTooSmall, Assert.Single(h.Sink.Anomalies).Anomaly);
        Assert.Equal(1, h.Counters.Invalid);
    }

    [Fact]
    public void MalformedSaPayload_IkeMalformedAnomaly_RecordStillWritten()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        byte[] badSa = [0, 0, 0, 200, 1, 1, 0, 1]; // proposal length 200 in an 8-octet body
        IkeMessageSnapshot record = h.Send(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, (P.SecurityAssociation, badSa)));

        Assert.Equal(IkeExchangeType.IkeSaInit, record.Exchange);
        Assert.Equal(DecodeAnomaly.IkeMalformed, Assert.Single(h.Sink.Anomalies).Anomaly);
    }

    [Fact]
    [Trait("rfc", "6311-5.1")]
    public void RequestWithMessageIdZero_AfterHigherIds_FailoverSuspected()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1), byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2));
        IkeMessageSnapshot sync = h.Send(c.Protected(IkeExchangeType.Informational, true, false, 0));

        Assert.True(sync.Events.HasFlag(IkeEvents.FailoverSuspected));
        Assert.Equal(1, Assert.Single(h.Finish()).FailoverSigns);
    }

    [Fact]
    [Trait("rfc", "6311-5.1")]
    public void ResponderFirstRequestWithIdZero_NotFailover()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1), byInitiatorHost: false);
        // Each side numbers its own requests: the responder's first request is 0 (RFC 7296 §2.2).
        IkeMessageSnapshot dpd = h.Send(c.Protected(IkeExchangeType.Informational, false, false, 0), byInitiatorHost: false);

        Assert.False(dpd.Events.HasFlag(IkeEvents.FailoverSuspected));
    }

    [Fact]
    public void MessageIdJump_FarAhead_Flagged()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2));
        IkeMessageSnapshot jump = h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2 + 1000));

        Assert.True(jump.Events.HasFlag(IkeEvents.MessageIdJump));
    }

    [Fact]
    [Trait("rfc", "7296-1.3.2")]
    public void NewSpisRightAfterCreateChildSa_WithoutKeys_RekeyInferred()
    {
        var h = new IkeHarness();
        var old = new IkeConversation(0x0A0A0A0A0A0A0A0A, 0x0B0B0B0B0B0B0B0B);
        Init(h, old);
        h.Send(old.Protected(IkeExchangeType.IkeAuth, true, false, 1));
        h.Send(old.Protected(IkeExchangeType.IkeAuth, false, true, 1), byInitiatorHost: false);
        h.Send(old.Protected(IkeExchangeType.CreateChildSa, true, false, 2));
        h.Send(old.Protected(IkeExchangeType.CreateChildSa, false, true, 2), byInitiatorHost: false);
        var successor = new IkeConversation(0x0C0C0C0C0C0C0C0C, 0x0D0D0D0D0D0D0D0D);
        IkeMessageSnapshot first = h.Send(successor.Protected(IkeExchangeType.Informational, true, false, 0));

        Assert.True(first.Events.HasFlag(IkeEvents.IkeRekey));
        h.Finish();
        IkeSaSnapshot before = h.Sa(old.InitiatorSpi);
        IkeSaSnapshot after = h.Sa(successor.InitiatorSpi);
        Assert.Equal(IkeSaState.Rekeyed, before.State);
        Assert.Equal(successor.InitiatorSpi, before.RekeyedTo);
        Assert.Equal(old.InitiatorSpi, after.RekeyedFrom);
        Assert.True(after.RekeyInferred);
        Assert.False(after.Midstream);
        Assert.Equal(IkeSaState.Established, after.State);
    }

    [Fact]
    public void NewSpisLongAfterCreateChildSa_Midstream_NotRekey()
    {
        var h = new IkeHarness();
        var old = new IkeConversation(0x0A0A0A0A0A0A0A0A, 0x0B0B0B0B0B0B0B0B);
        Init(h, old);
        h.Send(old.Protected(IkeExchangeType.IkeAuth, true, false, 1));
        h.Send(old.Protected(IkeExchangeType.IkeAuth, false, true, 1), byInitiatorHost: false);
        h.Send(old.Protected(IkeExchangeType.CreateChildSa, true, false, 2));
        h.Send(old.Protected(IkeExchangeType.CreateChildSa, false, true, 2), byInitiatorHost: false);
        h.Advance(TimeSpan.FromMinutes(5));
        var other = new IkeConversation(0x0C0C0C0C0C0C0C0C, 0x0D0D0D0D0D0D0D0D);
        IkeMessageSnapshot first = h.Send(other.Protected(IkeExchangeType.Informational, true, false, 0));

        Assert.True(first.Events.HasFlag(IkeEvents.Midstream));
        h.Finish();
        Assert.Equal(IkeSaState.Established, h.Sa(old.InitiatorSpi).State);
        Assert.Equal(0UL, h.Sa(other.InitiatorSpi).RekeyedFrom);
    }
}
