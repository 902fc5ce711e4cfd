using Visibility.Wire.Ike;
using P = Visibility.Wire.Ike.IkePayloadType;

namespace Visibility.Engine.Tests.Ike.Support;

/// <summary>A corpus of IKE messages covering every exchange and payload the tracker reads: one SA's whole life with
/// keys (IKE_SA_INIT with COOKIE and REDIRECTED_FROM, IKE_AUTH with EAP, QCD, WESP and tickets, fragments, Child SA
/// and IKE rekeys, Deletes, RFC 6311 sync, a clear INVALID_IKE_SPI answer), in order, with the sender of each.</summary>
internal static class IkeSamples
{
    public static readonly IkeConversation Sa = new(0x0123456789ABCDEF, 0xFEDCBA9876543210);
    public static readonly IkeConversation Successor = new(0x1357913579135791, 0x2468024680246802);

    public static IReadOnlyList<(byte[] Message, bool ByInitiator)> Conversation()
    {
        IkeConversation c = Sa;
        byte[] cookie = IkePayloads.Fill(16, 0xC0);
        byte[] token = IkePayloads.Fill(32, 0x90);
        (P, byte[])[] init =
        [
            (P.SecurityAssociation, IkePayloads.IkeSa()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048)), (P.Nonce, IkePayloads.Nonce()),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.RedirectedFrom, IkePayloads.RedirectData(GatewayIdentityType.IPv4Address, IkePayloads.Ipv4("203.0.113.1")))),
            (P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2FragmentationSupported)),
        ];
        (P, byte[])[] child =
        [
            (P.SecurityAssociation, IkePayloads.EspSa(0xC1C1C1C1, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128)),
            (P.TrafficSelectorInitiator, IkePayloads.Ts("10.1.0.0", "10.1.0.255")),
            (P.TrafficSelectorResponder, IkePayloads.Ts("10.2.0.0", "10.2.0.255")),
        ];
        var messages = new List<(byte[], bool)>
        {
            (c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, init), true),
            (c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.Cookie, cookie))), false),
            (c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, [(P.Notify, IkePayloads.Notify(IkeNotifyType.Cookie, cookie)), .. init]), true),
            (c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, null, (P.SecurityAssociation, IkePayloads.IkeSa()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048)),
                (P.Nonce, IkePayloads.Nonce(0x70)), (P.CertificateRequest, IkePayloads.Fill(21, 4))), false),
            (c.Protected(IkeExchangeType.IkeAuth, true, false, 1, [(P.IdentificationInitiator, IkePayloads.Fqdn("user@test")),
                (P.Notify, IkePayloads.Notify(IkeNotifyType.EapOnlyAuthentication)), (P.Notify, IkePayloads.Notify(IkeNotifyType.UseWespMode)),
                (P.Notify, IkePayloads.Notify(IkeNotifyType.TicketRequest)), (P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2MessageIdSyncSupported)),
                (P.Configuration, [1, 0, 0, 0, 0, 1, 0, 0]), .. child]), true),
            (c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.IdentificationResponder, IkePayloads.Fqdn("gw.test")), (P.Eap, IkePayloads.Eap(EapCode.Request, 1, 13))), false),
            (c.Protected(IkeExchangeType.IkeAuth, true, false, 2, (P.Eap, IkePayloads.Eap(EapCode.Response, 1, 13))), true),
            (c.Protected(IkeExchangeType.IkeAuth, false, true, 2, (P.Eap, IkePayloads.Eap(EapCode.Success, 2))), false),
        };
        foreach (byte[] fragment in c.Fragments(IkeExchangeType.IkeAuth, true, false, 3, 3, (P.Authentication, IkePayloads.Auth(AuthMethod.SharedKeyMessageIntegrityCode)),
            (P.Certificate, IkePayloads.Fill(300, 9))))
        {
            messages.Add((fragment, true));
        }
        messages.AddRange(
        [
            (c.Protected(IkeExchangeType.IkeAuth, false, true, 3, [(P.Authentication, IkePayloads.Auth(AuthMethod.SharedKeyMessageIntegrityCode)),
                (P.Notify, IkePayloads.Notify(IkeNotifyType.UseWespMode)), (P.Notify, IkePayloads.Notify(IkeNotifyType.QuickCrashDetection, token, ProtocolId.Ike)),
                (P.Notify, IkePayloads.Notify(IkeNotifyType.TicketLtOpaque, [0, 0, 1, 0, .. IkePayloads.Fill(40, 3)])),
                (P.SecurityAssociation, IkePayloads.EspSa(0xD2D2D2D2, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128)), .. child[1..]]), false),
            (c.Protected(IkeExchangeType.CreateChildSa, true, false, 4, [(P.Notify, IkePayloads.Notify(IkeNotifyType.RekeySa, null, ProtocolId.Esp, IkePayloads.Be32(0xC1C1C1C1))),
                (P.SecurityAssociation, IkePayloads.EspSa(0xE1E1E1E1, EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None)), (P.Nonce, IkePayloads.Nonce()), .. child[1..]]), true),
            (c.Protected(IkeExchangeType.CreateChildSa, false, true, 4, [(P.SecurityAssociation, IkePayloads.EspSa(0xF2F2F2F2, EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None)),
                (P.Nonce, IkePayloads.Nonce()), .. child[1..]]), false),
            (c.Protected(IkeExchangeType.Informational, true, false, 5, (P.Delete, IkePayloads.Delete(ProtocolId.Esp, 0xC1C1C1C1))), true),
            (c.Protected(IkeExchangeType.Informational, false, true, 5, (P.Delete, IkePayloads.Delete(ProtocolId.Esp, 0xD2D2D2D2))), false),
            (c.Protected(IkeExchangeType.Informational, false, false, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2MessageIdSync, IkePayloads.Fill(12, 0))),
                (P.Notify, IkePayloads.Notify(IkeNotifyType.IpsecReplayCounterSync, [0, 0, 1, 0]))), false),
            (c.Protected(IkeExchangeType.Informational, false, true, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.Ikev2MessageIdSync, IkePayloads.Fill(12, 0)))), true),
            (c.Protected(IkeExchangeType.CreateChildSa, true, false, 6, (P.SecurityAssociation, IkePayloads.IkeRekeySa(Successor.InitiatorSpi)), (P.Nonce, IkePayloads.Nonce()),
                (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))), true),
            (c.Protected(IkeExchangeType.CreateChildSa, false, true, 6, (P.SecurityAssociation, IkePayloads.IkeRekeySa(Successor.ResponderSpi)), (P.Nonce, IkePayloads.Nonce()),
                (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))), false),
            (c.Protected(IkeExchangeType.Informational, true, false, 7, (P.Delete, IkePayloads.Delete(ProtocolId.Ike))), true),
            (Successor.Protected(IkeExchangeType.Informational, true, false, 0, (P.Notify, IkePayloads.Notify(IkeNotifyType.Redirect,
                IkePayloads.RedirectData(GatewayIdentityType.Fqdn, "vpn.example"u8.ToArray()))), (P.VendorId, IkePayloads.Fill(16, 1))), true),
            (Successor.Clear(IkeExchangeType.Informational, false, true, 1, null, (P.Notify, IkePayloads.Notify(IkeNotifyType.InvalidIkeSpi)),
                (P.Notify, IkePayloads.Notify(IkeNotifyType.QuickCrashDetection, token, ProtocolId.Ike))), false),
            (c.Protected(IkeExchangeType.IkeAuth, false, true, 1, (P.Notify, IkePayloads.Notify(IkeNotifyType.AuthenticationFailed))), false),
        ]);
        return messages;
    }

    public static Visibility.Engine.Ike.IkeTrackerOptions KeyedOptions() =>
        new() { IkeKeys = [Sa.KeyEntry, Successor.KeyEntry] };
}
