using Visibility.Engine.Ike;
using Visibility.Engine.Tests.Ike.Support;
using Visibility.Wire.Ike;
using P = Visibility.Wire.Ike.IkePayloadType;

namespace Visibility.Engine.Tests.Ike;

/// <summary>Exchanges the tracker can read with keys (RFC 7296 and the extensions), built by hand from the RFCs.</summary>
public sealed partial class IkeTrackerTests
{
    private const uint InitiatorChildSpi = 0xC1C1C1C1;
    private const uint ResponderChildSpi = 0xD2D2D2D2;

    private static IkeHarness WithKeys(params IkeConversation[] conversations) =>
        new(new IkeTrackerOptions { IkeKeys = conversations.Select(c => c.KeyEntry).ToList() });

    private static (P, byte[])[] AuthRequest(params (P, byte[])[] extra) =>
    [
        (P.IdentificationInitiator, IkePayloads.Fqdn("client.test")),
        (P.Authentication, IkePayloads.Auth(AuthMethod.SharedKeyMessageIntegrityCode)),
        .. extra,
        (P.SecurityAssociation, IkePayloads.EspSa(InitiatorChildSpi, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128)),
        (P.TrafficSelectorInitiator, IkePayloads.Ts("10.1.0.0", "10.1.0.255")),
        (P.TrafficSelectorResponder, IkePayloads.Ts("10.2.0.0", "10.2.0.255")),
    ];

    private static (P, byte[])[] AuthResponse(params (P, byte[])[] extra) =>
    [
        (P.IdentificationResponder, IkePayloads.Fqdn("gateway.test")),
        (P.Authentication, IkePayloads.Auth(AuthMethod.SharedKeyMessageIntegrityCode)),
        .. extra,
        (P.SecurityAssociation, IkePayloads.EspSa(ResponderChildSpi, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128)),
        (P.TrafficSelectorInitiator, IkePayloads.Ts("10.1.0.0", "10.1.0.255")),
        (P.TrafficSelectorResponder, IkePayloads.Ts("10.2.0.0", "10.2.0.255")),
    ];

    /// <summary>IKE_SA_INIT, then a decrypted IKE_AUTH pair that creates one ESP-NULL Child SA.</summary>
    private static void Establish(IkeHarness h, IkeConversation c)
    {
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse()), byInitiatorHost: false);
    }

    [Fact]
    [Trait("rfc", "7296-1.2")]
    public void IkeAuth_Decrypted_EstablishedWithIdentitiesAuthAndChildSa()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        IkeMessageSnapshot request = h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));
        IkeMessageSnapshot response = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse()), byInitiatorHost: false);

        Assert.True(request.Decrypted);
        Assert.Equal([P.IdentificationInitiator, P.Authentication, P.SecurityAssociation, P.TrafficSelectorInitiator, P.TrafficSelectorResponder],
            request.InnerPayloads);
        Assert.Equal(IkeSaState.Established, response.SaState);
        Assert.True(response.Events.HasFlag(IkeEvents.ChildSa));
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.True(sa.EstablishedByDecryption);
        Assert.Equal("client.test", sa.InitiatorId);
        Assert.Equal("gateway.test", sa.ResponderId);
        Assert.Equal(AuthMethod.SharedKeyMessageIntegrityCode, sa.InitiatorAuthMethod);
        Assert.Equal(2, sa.DecryptedMessages);
        IkeChildSa child = Assert.Single(sa.Children);
        Assert.Equal(ProtocolId.Esp, child.Protocol);
        Assert.Equal(InitiatorChildSpi, child.InitiatorSpi);
        Assert.Equal(ResponderChildSpi, child.ResponderSpi);
        Assert.Equal(EncryptionAlgorithm.EncrNull, child.Encryption);
        Assert.Equal(IntegrityAlgorithm.HmacSha2_256_128, child.Integrity);
        Assert.True(child.IsNull);
        Assert.Equal(16, child.IcvLength);
        Assert.False(child.Transport);
        Assert.Equal(IkeExchangeType.IkeAuth, child.Exchange);
        Assert.Equal("10.1.0.0", Assert.Single(child.InitiatorSelectors.Ranges.ToArray()).Start.ToString());
    }

    [Fact]
    [Trait("rfc", "7296-3.14")]
    public void WrongKeys_IntegrityFails_NotDecrypted()
    {
        var c = new IkeConversation();
        var other = new IkeConversation();
        IkeHarness h = new(new IkeTrackerOptions { IkeKeys = [other.KeyEntry with { InitiatorIntegrityKey = new byte[32] }] });
        Init(h, c);
        IkeMessageSnapshot request = h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));

        Assert.False(request.Decrypted);
        Assert.Equal(IkeDecryption.IntegrityFailed, request.Decryption);
        Assert.True(request.Events.HasFlag(IkeEvents.IntegrityFailed));
        Assert.Empty(request.InnerPayloads);
    }

    [Fact]
    [Trait("rfc", "7296-1.3.1")]
    public void UseTransportMode_EchoedInResponse_TransportChild()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.UseTransportMode)))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse((P.Notify, IkePayloads.Notify(IkeNotifyType.UseTransportMode)))),
            byInitiatorHost: false);

        Assert.True(Assert.Single(Assert.Single(h.Finish()).Children).Transport);
    }

    [Fact]
    [Trait("rfc", "5840-4")]
    public void UseWespMode_Accepted_WespChild()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        IkeMessageSnapshot request = h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1,
            AuthRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.UseWespMode)))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse((P.Notify, IkePayloads.Notify(IkeNotifyType.UseWespMode)))),
            byInitiatorHost: false);

        Assert.Contains(IkeNotifyType.UseWespMode, request.InnerNotifies);
        Assert.True(request.Events.HasFlag(IkeEvents.Wesp));
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.True(sa.Wesp);
        Assert.True(Assert.Single(sa.Children).Wesp);
    }

    [Fact]
    [Trait("rfc", "5840-4")]
    public void UseWespMode_NotEchoed_PlainEspChild()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.UseWespMode)))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse()), byInitiatorHost: false);

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.False(sa.Wesp);
        Assert.False(Assert.Single(sa.Children).Wesp);
    }

    [Fact]
    [Trait("rfc", "7296-2.21.2")]
    public void AuthenticationFailed_InAuthResponse_AuthFailed()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));
        IkeMessageSnapshot failure = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.Notify, IkePayloads.Notify(IkeNotifyType.AuthenticationFailed))),
            byInitiatorHost: false);

        Assert.Equal([IkeNotifyType.AuthenticationFailed], failure.InnerNotifies);
        Assert.True(failure.Events.HasFlag(IkeEvents.AuthFailed));
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(IkeSaState.AuthFailed, sa.State);
        Assert.Equal("auth_failed", sa.Outcome);
        Assert.Empty(sa.Children);
    }

    [Fact]
    [Trait("rfc", "7296-2.16")]
    public void EapFailure_AuthFailedAndEapTypeKept()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, (P.IdentificationInitiator, IkePayloads.Fqdn("user@test"))));
        IkeMessageSnapshot challenge = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1,
            (P.IdentificationResponder, IkePayloads.Fqdn("gateway.test")), (P.Authentication, IkePayloads.Auth(AuthMethod.RsaDigitalSignature)),
            (P.Eap, IkePayloads.Eap(EapCode.Request, 1, 26))), byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 2, (P.Eap, IkePayloads.Eap(EapCode.Response, 1, 26))));
        IkeMessageSnapshot failure = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 2, (P.Eap, IkePayloads.Eap(EapCode.Failure, 1))),
            byInitiatorHost: false);

        Assert.Equal(IkeSaState.HalfOpen, challenge.SaState);
        Assert.Equal(EapCode.Request, challenge.EapCode);
        Assert.Equal(26, challenge.EapType);
        Assert.Equal(IkeSaState.AuthFailed, failure.SaState);
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.True(sa.InitiatorUsedEap);
        Assert.Equal(26, sa.EapType);
        Assert.False(sa.EapOnly);
    }

    [Fact]
    [Trait("rfc", "5998-3")]
    public void EapOnlyOffered_ResponderEapWithoutAuth_EapOnly()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        // The Child SA is proposed in the first IKE_AUTH request and accepted in the last response (RFC 7296 §2.16).
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, [(P.IdentificationInitiator, IkePayloads.Fqdn("user@test")),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.EapOnlyAuthentication)), .. AuthRequest()[2..]]));
        IkeMessageSnapshot first = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.IdentificationResponder, IkePayloads.Fqdn("gateway.test")),
            (P.Eap, IkePayloads.Eap(EapCode.Request, 1, 13))), byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 2, (P.Eap, IkePayloads.Eap(EapCode.Response, 1, 13))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 2, (P.Eap, IkePayloads.Eap(EapCode.Success, 2))), byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 3, (P.Authentication, IkePayloads.Auth(AuthMethod.SharedKeyMessageIntegrityCode))));
        IkeMessageSnapshot last = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 3, AuthResponse()[1..]), byInitiatorHost: false);

        Assert.True(first.Events.HasFlag(IkeEvents.EapOnly));
        Assert.Equal(IkeSaState.Established, last.SaState);
        Assert.True(last.Events.HasFlag(IkeEvents.ChildSa));
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.True(sa.EapOnly);
        IkeChildSa child = Assert.Single(sa.Children);
        Assert.Equal(InitiatorChildSpi, child.InitiatorSpi);
        Assert.Equal(ResponderChildSpi, child.ResponderSpi);
        Assert.True(sa.InitiatorUsedEap);
        Assert.Equal(13, sa.EapType);
    }

    [Fact]
    [Trait("rfc", "5998-3")]
    public void EapOnlyOffered_ResponderSendsAuth_NotEapOnly()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, (P.IdentificationInitiator, IkePayloads.Fqdn("user@test")),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.EapOnlyAuthentication))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.IdentificationResponder, IkePayloads.Fqdn("gateway.test")),
            (P.Authentication, IkePayloads.Auth(AuthMethod.RsaDigitalSignature)), (P.Eap, IkePayloads.Eap(EapCode.Request, 1, 13))), byInitiatorHost: false);

        Assert.False(Assert.Single(h.Finish()).EapOnly);
    }

    [Fact]
    [Trait("rfc", "5998-3")]
    public void EapWithoutAuthButNotOffered_NotEapOnly()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, (P.IdentificationInitiator, IkePayloads.Fqdn("user@test"))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.Eap, IkePayloads.Eap(EapCode.Request, 1, 13))), byInitiatorHost: false);

        Assert.False(Assert.Single(h.Finish()).EapOnly);
    }

    [Fact]
    [Trait("rfc", "5685-4")]
    public void RedirectInInitResponse_Redirected_NextSaLinkedByRedirectedFrom()
    {
        var h = new IkeHarness();
        var first = new IkeConversation(0x1000000000000001, 0);
        byte[] newGateway = IkePayloads.Ipv4("203.0.113.7");
        h.Send(first.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.RedirectSupported)))));
        IkeMessageSnapshot redirect = h.Send(first.Clear(IkeExchangeType.IkeSaInit, false, true, 0, 0,
            (P.Notify, IkePayloads.Notify(IkeNotifyType.Redirect, IkePayloads.RedirectData(GatewayIdentityType.IPv4Address, newGateway, IkePayloads.Nonce())))),
            byInitiatorHost: false);
        var second = new IkeConversation(0x2000000000000002, 0x3000000000000003);
        IkeMessageSnapshot retry = h.Send(second.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, InitRequest((P.Notify,
            IkePayloads.Notify(IkeNotifyType.RedirectedFrom, IkePayloads.RedirectData(GatewayIdentityType.IPv4Address, IkePayloads.Ipv4(IkeHarness.ResponderHost.ToString())))))),
            to: Wire.NetworkAddress.Parse("203.0.113.7"));

        Assert.Equal(IkeSaState.Redirected, redirect.SaState);
        Assert.Equal(IkeNotifyType.Redirect, redirect.RedirectNotify);
        Assert.Equal("203.0.113.7", redirect.RedirectGateway);
        Assert.True(retry.Events.HasFlag(IkeEvents.RedirectedFrom));
        h.Finish();
        IkeSaSnapshot redirected = h.Sa(first.InitiatorSpi);
        IkeSaSnapshot next = h.Sa(second.InitiatorSpi);
        Assert.Equal("redirected", redirected.Outcome);
        Assert.Equal("203.0.113.7", redirected.RedirectedTo);
        Assert.Equal(IkeHarness.ResponderHost.ToString(), next.RedirectedFrom);
        Assert.Equal(first.InitiatorSpi, next.RedirectedFromSa);
    }

    [Fact]
    [Trait("rfc", "5685-6")]
    public void RedirectInAuthResponse_Fqdn_Redirected()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.IdentificationResponder, IkePayloads.Fqdn("gateway.test")),
            (P.Authentication, IkePayloads.Auth(AuthMethod.SharedKeyMessageIntegrityCode)),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.Redirect, IkePayloads.RedirectData(GatewayIdentityType.Fqdn, "vpn2.example.net"u8.ToArray())))),
            byInitiatorHost: false);

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(IkeSaState.Redirected, sa.State);
        Assert.Equal("vpn2.example.net", sa.RedirectedTo);
    }

    [Fact]
    [Trait("rfc", "5685-5")]
    public void RedirectByInformational_AfterSetup_RedirectedThenDeleteKeepsIt()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Establish(h, c);
        h.Send(c.Protected(IkeExchangeType.Informational, false, false, 0,
            (P.Notify, IkePayloads.Notify(IkeNotifyType.Redirect, IkePayloads.RedirectData(GatewayIdentityType.IPv6Address, new byte[16] { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 })))),
            byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.Informational, true, true, 0));
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2, (P.Delete, IkePayloads.Delete(ProtocolId.Ike))));

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal("redirected", sa.Outcome);
        Assert.Equal("2001:db8::9", sa.RedirectedTo);
    }

    [Fact]
    [Trait("rfc", "7296-1.4.1")]
    public void DeleteIkeSa_Decrypted_DeletedAfterLinger()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Establish(h, c);
        IkeMessageSnapshot delete = h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2, (P.Delete, IkePayloads.Delete(ProtocolId.Ike))));
        h.Send(c.Protected(IkeExchangeType.Informational, false, true, 2), byInitiatorHost: false);

        Assert.True(delete.Events.HasFlag(IkeEvents.IkeDelete));
        Assert.Equal(IkeSaState.Deleted, delete.SaState);
        h.Advance(TimeSpan.FromMinutes(1));
        h.Tracker.Expire(h.Now);
        IkeSaSnapshot sa = Assert.Single(h.Sink.Sas);
        Assert.Equal("deleted", sa.Outcome);
        Assert.Equal(IkeSaEnd.Terminal, sa.End);
    }

    [Fact]
    [Trait("rfc", "7296-1.4.1")]
    public void DeleteChildSpi_ChildMarkedDeleted_IkeSaStays()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Establish(h, c);
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2, (P.Delete, IkePayloads.Delete(ProtocolId.Esp, InitiatorChildSpi))));

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.True(Assert.Single(sa.Children).Deleted);
    }

    [Fact]
    [Trait("rfc", "7296-2.18")]
    public void IkeRekey_Decrypted_NewSaLinkedAndChildrenMoved()
    {
        var c = new IkeConversation();
        var next = new IkeConversation(0x7777000000000001, 0x8888000000000002);
        IkeHarness h = WithKeys(c, next);
        Establish(h, c);
        h.Send(c.Protected(IkeExchangeType.CreateChildSa, true, false, 2, (P.SecurityAssociation, IkePayloads.IkeRekeySa(next.InitiatorSpi)),
            (P.Nonce, IkePayloads.Nonce()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))));
        IkeMessageSnapshot accepted = h.Send(c.Protected(IkeExchangeType.CreateChildSa, false, true, 2,
            (P.SecurityAssociation, IkePayloads.IkeRekeySa(next.ResponderSpi)), (P.Nonce, IkePayloads.Nonce()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))),
            byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 3, (P.Delete, IkePayloads.Delete(ProtocolId.Ike))));
        IkeMessageSnapshot onNew = h.Send(next.Protected(IkeExchangeType.Informational, true, false, 0));

        Assert.True(accepted.Events.HasFlag(IkeEvents.IkeRekey));
        Assert.Equal(IkeSaState.Rekeyed, accepted.SaState);
        Assert.Equal(IkeSaState.Established, onNew.SaState);
        Assert.False(onNew.Events.HasFlag(IkeEvents.Midstream));
        h.Finish();
        IkeSaSnapshot old = h.Sa(c.InitiatorSpi);
        IkeSaSnapshot successor = h.Sa(next.InitiatorSpi);
        Assert.Equal("rekeyed", old.Outcome);
        Assert.Equal(next.InitiatorSpi, old.RekeyedTo);
        Assert.Equal(c.InitiatorSpi, successor.RekeyedFrom);
        Assert.Equal(next.ResponderSpi, successor.ResponderSpi);
        Assert.False(successor.RekeyInferred);
        Assert.Equal("client.test", successor.InitiatorId);
        Assert.Equal(ResponderChildSpi, Assert.Single(successor.Children).ResponderSpi);
    }

    [Fact]
    [Trait("rfc", "7296-1.3.3")]
    public void CreateChildSa_RekeyOfChild_NewChildWithRekeyOf()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Establish(h, c);
        h.Send(c.Protected(IkeExchangeType.CreateChildSa, true, false, 2,
            (P.Notify, IkePayloads.Notify(IkeNotifyType.RekeySa, null, ProtocolId.Esp, IkePayloads.Be32(InitiatorChildSpi))),
            (P.SecurityAssociation, IkePayloads.EspSa(0xE1E1E1E1, EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None)),
            (P.Nonce, IkePayloads.Nonce()), (P.TrafficSelectorInitiator, IkePayloads.Ts("10.1.0.0", "10.1.0.255")),
            (P.TrafficSelectorResponder, IkePayloads.Ts("10.2.0.0", "10.2.0.255"))));
        h.Send(c.Protected(IkeExchangeType.CreateChildSa, false, true, 2,
            (P.SecurityAssociation, IkePayloads.EspSa(0xF2F2F2F2, EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None)),
            (P.Nonce, IkePayloads.Nonce()), (P.TrafficSelectorInitiator, IkePayloads.Ts("10.1.0.0", "10.1.0.255")),
            (P.TrafficSelectorResponder, IkePayloads.Ts("10.2.0.0", "10.2.0.255"))), byInitiatorHost: false);

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(2, sa.Children.Length);
        IkeChildSa rekeyed = sa.Children[1];
        Assert.Equal(InitiatorChildSpi, rekeyed.RekeyOf);
        Assert.Equal(EncryptionAlgorithm.AesGcm16, rekeyed.Encryption);
        Assert.Equal(256, rekeyed.KeyLength);
        Assert.False(rekeyed.IsNull);
        Assert.Equal(16, rekeyed.IcvLength);
        Assert.Equal(IkeExchangeType.CreateChildSa, rekeyed.Exchange);
    }

    [Fact]
    [Trait("rfc", "6290-4.5")]
    public void QcdToken_TakenThenSentInClearWithInvalidIkeSpi_PeerLostStateTokenMatched()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        byte[] token = IkePayloads.Fill(32, 0x90);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));
        IkeMessageSnapshot taken = h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1,
            AuthResponse((P.Notify, IkePayloads.Notify(IkeNotifyType.QuickCrashDetection, token, ProtocolId.Ike)))), byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2));
        // The rebooted gateway answers the protected request in clear: same SPIs, ID and exchange, R flag (RFC 6290 §4.5).
        IkeMessageSnapshot lost = h.Send(c.Clear(IkeExchangeType.Informational, false, true, 2, null,
            (P.Notify, IkePayloads.Notify(IkeNotifyType.InvalidIkeSpi)), (P.Notify, IkePayloads.Notify(IkeNotifyType.QuickCrashDetection, token, ProtocolId.Ike))),
            byInitiatorHost: false);

        Assert.True(taken.Events.HasFlag(IkeEvents.QcdToken));
        Assert.True(lost.Events.HasFlag(IkeEvents.PeerLostState));
        Assert.Null(lost.Decrypted);
        Assert.Equal(1, lost.QcdTokens);
        Assert.Equal(IkeSaState.PeerLostState, lost.SaState);
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.True(sa.PeerLostState);
        Assert.True(sa.QcdTokenMatched);
        Assert.Equal(2, sa.QcdTokens);
        Assert.Equal("peer_lost_state", sa.Outcome);
    }

    [Fact]
    [Trait("rfc", "6290-4.5")]
    public void QcdTokenInClear_DifferentFromTaken_PeerLostStateNotMatched()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1,
            AuthResponse((P.Notify, IkePayloads.Notify(IkeNotifyType.QuickCrashDetection, IkePayloads.Fill(32, 0x90), ProtocolId.Ike)))), byInitiatorHost: false);
        h.Send(c.Clear(IkeExchangeType.Informational, false, true, 2, null, (P.Notify, IkePayloads.Notify(IkeNotifyType.InvalidIkeSpi)),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.QuickCrashDetection, IkePayloads.Fill(32, 0x10), ProtocolId.Ike))), byInitiatorHost: false);

        Assert.False(Assert.Single(h.Finish()).QcdTokenMatched);
    }

    [Fact]
    [Trait("rfc", "6290-4.5")]
    public void InvalidIkeSpiWithoutToken_NoKeys_InvalidIkeSpiEventOnly()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1), byInitiatorHost: false);
        IkeMessageSnapshot answer = h.Send(c.Clear(IkeExchangeType.Informational, false, true, 2, null, (P.Notify, IkePayloads.Notify(IkeNotifyType.InvalidIkeSpi))),
            byInitiatorHost: false);

        Assert.True(answer.Events.HasFlag(IkeEvents.InvalidIkeSpi));
        Assert.False(answer.Events.HasFlag(IkeEvents.PeerLostState));
        Assert.Equal(IkeSaState.Established, answer.SaState);
    }

    [Fact]
    [Trait("rfc", "6311-5")]
    public void MessageIdAndReplayCounterSync_Decrypted_CountedAndCapabilitiesKept()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2MessageIdSyncSupported)),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.IpsecReplayCounterSyncSupported)))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse((P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2MessageIdSyncSupported)))),
            byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.Informational, true, false, 2));
        h.Send(c.Protected(IkeExchangeType.Informational, false, true, 2), byInitiatorHost: false);
        // After a failover the new active member syncs in an INFORMATIONAL with Message ID 0 (RFC 6311 §5.1, §6.3, §6.4).
        byte[] syncData = [0xA5, 0xA5, 0xA5, 0xA5, 0, 0, 0, 40, 0, 0, 0, 40];
        IkeMessageSnapshot sync = h.Send(c.Protected(IkeExchangeType.Informational, false, false, 0,
            (P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2MessageIdSync, syncData)), (P.Notify, IkePayloads.Notify(IkeNotifyType.IpsecReplayCounterSync, [0, 0, 0x27, 0x10]))),
            byInitiatorHost: false);
        h.Send(c.Protected(IkeExchangeType.Informational, false, true, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2MessageIdSync, syncData))));

        Assert.True(sync.Events.HasFlag(IkeEvents.MessageIdSync));
        Assert.True(sync.Events.HasFlag(IkeEvents.ReplayCounterSync));
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.True(sa.MessageIdSyncSupported);
        Assert.Equal(1, sa.MessageIdSyncs);
        Assert.Equal(1, sa.ReplayCounterSyncs);
    }

    [Fact]
    [Trait("rfc", "5723-4.3.2")]
    public void SessionResumption_TicketThenResume_ResumedSaEstablished()
    {
        var c = new IkeConversation();
        var resumed = new IkeConversation(0x4242424242424242, 0x4343434343434343);
        IkeHarness h = WithKeys(c, resumed);
        byte[] ticket = IkePayloads.Fill(48, 0x31);
        Init(h, c);
        h.Send(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest((P.Notify, IkePayloads.Notify(IkeNotifyType.TicketRequest)))));
        h.Send(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse((P.Notify, IkePayloads.Notify(IkeNotifyType.TicketLtOpaque, [0, 0, 0x0E, 0x10, .. ticket])))),
            byInitiatorHost: false);
        IkeMessageSnapshot resume = h.Send(resumed.Clear(IkeExchangeType.IkeSessionResume, true, false, 0, 0, (P.Nonce, IkePayloads.Nonce()),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.TicketOpaque, ticket))));
        h.Send(resumed.Clear(IkeExchangeType.IkeSessionResume, false, true, 0, null, (P.Nonce, IkePayloads.Nonce(0x60))), byInitiatorHost: false);
        h.Send(resumed.Protected(IkeExchangeType.IkeAuth, true, false, 1, AuthRequest()));
        h.Send(resumed.Protected(IkeExchangeType.IkeAuth, false, true, 1, AuthResponse()), byInitiatorHost: false);

        Assert.True(resume.Events.HasFlag(IkeEvents.Resumption));
        Assert.True(resume.Events.HasFlag(IkeEvents.Ticket));
        h.Finish();
        Assert.Equal(IkeTicketState.Issued, h.Sa(c.InitiatorSpi).Ticket);
        IkeSaSnapshot second = h.Sa(resumed.InitiatorSpi);
        Assert.True(second.Resumed);
        Assert.Equal(IkeSaState.Established, second.State);
        Assert.Equal(resumed.ResponderSpi, second.ResponderSpi);
    }

    [Fact]
    [Trait("rfc", "5723-4.3.2")]
    public void SessionResumption_TicketNack_ResumeRefused()
    {
        var h = new IkeHarness();
        var c = new IkeConversation();
        h.Send(c.Clear(IkeExchangeType.IkeSessionResume, true, false, 0, 0, (P.Nonce, IkePayloads.Nonce()),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.TicketOpaque, IkePayloads.Fill(48, 0x31)))));
        h.Send(c.Clear(IkeExchangeType.IkeSessionResume, false, true, 0, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.TicketNack))), byInitiatorHost: false);

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal("resume_refused", sa.Outcome);
        Assert.True(sa.Resumed);
        Assert.Equal(IkeTicketState.Refused, sa.Ticket);
    }

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Fragments_OutOfOrder_ReassembledOnLastAndDecrypted()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        byte[][] fragments = c.Fragments(IkeExchangeType.IkeAuth, true, false, 1, 3,
            AuthRequest((P.Certificate, IkePayloads.Fill(600, 0x30)), (P.Notify, IkePayloads.Notify(IkeNotifyType.InitialContact))));
        IkeMessageSnapshot third = h.Send(fragments[2]);
        IkeMessageSnapshot first = h.Send(fragments[0]);
        IkeMessageSnapshot second = h.Send(fragments[1]);

        Assert.Equal([P.EncryptedFragment], third.Payloads);
        Assert.False(third.Decrypted);
        Assert.Equal(IkeDecryption.FragmentPending, third.Decryption);
        Assert.False(first.Decrypted);
        Assert.True(second.Decrypted);
        Assert.True(second.Events.HasFlag(IkeEvents.FragmentReassembled));
        Assert.Equal([P.IdentificationInitiator, P.Authentication, P.Certificate, P.Notify, P.SecurityAssociation, P.TrafficSelectorInitiator,
            P.TrafficSelectorResponder], second.InnerPayloads);
        Assert.Equal([IkeNotifyType.InitialContact], second.InnerNotifies);
        Assert.Equal(1, h.Tracker.Counters.Reassembled);
        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal("client.test", sa.InitiatorId);
        Assert.Equal(5, sa.Messages);
    }

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Fragments_WithoutKeys_EachRecordedNotDecrypted()
    {
        var c = new IkeConversation();
        var h = new IkeHarness();
        Init(h, c);
        foreach (byte[] fragment in c.Fragments(IkeExchangeType.IkeAuth, true, false, 1, 2, AuthRequest()))
        {
            IkeMessageSnapshot record = h.Send(fragment);
            Assert.False(record.Decrypted);
            Assert.False(record.Events.HasFlag(IkeEvents.Retransmission));
        }
        Assert.Equal(4, Assert.Single(h.Finish()).Messages);
    }

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Fragment_Retransmitted_Flagged_MessageStillCompletes()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Init(h, c);
        byte[][] fragments = c.Fragments(IkeExchangeType.IkeAuth, true, false, 1, 2, AuthRequest());
        h.Send(fragments[0]);
        IkeMessageSnapshot again = h.Send(fragments[0]);
        IkeMessageSnapshot last = h.Send(fragments[1]);

        Assert.True(again.Events.HasFlag(IkeEvents.Retransmission));
        Assert.True(last.Decrypted);
    }

    [Fact]
    [Trait("rfc", "7296-2.8")]
    public void ChildRekeys_BeyondCapacity_DeletedSlotsReusedNewestKept()
    {
        var c = new IkeConversation();
        IkeHarness h = WithKeys(c);
        Establish(h, c);
        uint previous = InitiatorChildSpi;
        uint mid = 2;
        for (uint n = 1; n <= IkeSa.MaxChildSas + 4; n++)
        {
            uint spiI = 0x10000000 + n;
            uint spiR = 0x20000000 + n;
            h.Send(c.Protected(IkeExchangeType.CreateChildSa, true, false, mid,
                (P.Notify, IkePayloads.Notify(IkeNotifyType.RekeySa, null, ProtocolId.Esp, IkePayloads.Be32(previous))),
                (P.SecurityAssociation, IkePayloads.EspSa(spiI, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha1_96)), (P.Nonce, IkePayloads.Nonce())));
            h.Send(c.Protected(IkeExchangeType.CreateChildSa, false, true, mid++,
                (P.SecurityAssociation, IkePayloads.EspSa(spiR, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha1_96)), (P.Nonce, IkePayloads.Nonce())),
                byInitiatorHost: false);
            h.Send(c.Protected(IkeExchangeType.Informational, true, false, mid++, (P.Delete, IkePayloads.Delete(ProtocolId.Esp, previous))));
            previous = spiI;
        }

        IkeSaSnapshot sa = Assert.Single(h.Finish());
        Assert.Equal(IkeSa.MaxChildSas, sa.Children.Length);
        Assert.Contains(sa.Children, child => child.InitiatorSpi == previous && !child.Deleted && child.IcvLength == 12);
        Assert.Single(sa.Children, child => !child.Deleted);
    }

    [Fact]
    public void IkeRekey_TableFull_RekeyedSaNotEvictedForItsSuccessor()
    {
        var c = new IkeConversation();
        var next = new IkeConversation(0x7777000000000001, 0x8888000000000002);
        IkeHarness h = new(new IkeTrackerOptions { Capacity = 1, IkeKeys = [c.KeyEntry, next.KeyEntry] });
        Establish(h, c);
        h.Send(c.Protected(IkeExchangeType.CreateChildSa, true, false, 2, (P.SecurityAssociation, IkePayloads.IkeRekeySa(next.InitiatorSpi)),
            (P.Nonce, IkePayloads.Nonce()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))));
        h.Send(c.Protected(IkeExchangeType.CreateChildSa, false, true, 2, (P.SecurityAssociation, IkePayloads.IkeRekeySa(next.ResponderSpi)),
            (P.Nonce, IkePayloads.Nonce()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))), byInitiatorHost: false);

        IReadOnlyList<IkeSaSnapshot> sas = h.Finish();
        Assert.Equal(2, sas.Count);
        Assert.Equal(c.InitiatorSpi, h.Sa(next.InitiatorSpi).RekeyedFrom);
        Assert.Equal(IkeSaState.Rekeyed, h.Sa(c.InitiatorSpi).State);
    }
}
