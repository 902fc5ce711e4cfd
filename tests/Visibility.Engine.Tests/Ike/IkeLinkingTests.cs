using Visibility.Engine.Esp;
using Visibility.Engine.Ike;
using Visibility.Engine.Pipeline;
using Visibility.Engine.Tests.Esp;
using Visibility.Engine.Tests.Ike.Support;
using Visibility.Wire;
using Visibility.Wire.Ike;
using Visibility.Wire.Ike.Keys;
using P = Visibility.Wire.Ike.IkePayloadType;

namespace Visibility.Engine.Tests.Ike;

/// <summary>ESP flows tied to their IKE SA through the whole pipeline: the negotiated transform fixes the verdict, an
/// <c>esp_sa</c> row does too, and without keys the flow is linked as "likely".</summary>
public sealed class IkeLinkingTests
{
    private const uint InitiatorSpi = 0xC1C1C1C1;
    private const uint ResponderSpi = 0xD2D2D2D2;
    private static readonly NetworkAddress Client = NetworkAddress.Parse("192.0.2.1");
    private static readonly NetworkAddress Gateway = NetworkAddress.Parse("198.51.100.1");

    private sealed class Run
    {
        private long _frame;
        private long _now = 1_700_000_000L * 1_000_000_000;

        public Run(IkeTrackerOptions ike) => Pipeline = new PacketPipeline(new PipelineOptions { Ike = ike }, Sink);

        public IkeRecordingSink Sink { get; } = new();

        public PacketPipeline Pipeline { get; }

        public void Ike(byte[] message, bool fromClient)
        {
            byte[] udp = EspTestPackets.Udp(fromClient ? Client : Gateway, fromClient ? Gateway : Client, 500, 500, message);
            Send(EspTestPackets.IPv4(fromClient ? Client : Gateway, fromClient ? Gateway : Client, 17, udp));
        }

        /// <summary>An ESP-NULL packet (tunnel mode, inner ICMP echo) with the given SPI and ICV length, native ESP.</summary>
        public void EspNull(uint spi, bool fromClient, int icvLength, uint sequence)
        {
            byte[] inner = EspTestPackets.IPv4(EspTestPackets.InnerV4Source, EspTestPackets.InnerV4Destination, 1,
                EspTestPackets.IcmpEcho(7, (ushort)sequence, IkePayloads.Fill(24, 0x61)));
            byte[] esp = EspTestPackets.EspNull(spi, sequence, 4, inner, icvLength);
            Send(EspTestPackets.IPv4(fromClient ? Client : Gateway, fromClient ? Gateway : Client, 50, esp));
        }

        public void Send(byte[] ip)
        {
            _now += 1_000_000;
            Pipeline.Process(ip, ip.Length, _now, LinkType.Raw, ++_frame);
        }
    }

    private static (P, byte[])[] Auth(bool request, EncryptionAlgorithm encryption, ushort keyLength, IntegrityAlgorithm integrity) =>
    [
        request ? (P.IdentificationInitiator, IkePayloads.Fqdn("client.test")) : (P.IdentificationResponder, IkePayloads.Fqdn("gateway.test")),
        (P.Authentication, IkePayloads.Auth(AuthMethod.SharedKeyMessageIntegrityCode)),
        (P.SecurityAssociation, IkePayloads.EspSa(request ? InitiatorSpi : ResponderSpi, encryption, keyLength, integrity)),
        (P.TrafficSelectorInitiator, IkePayloads.Ts("10.1.0.0", "10.1.0.255")),
        (P.TrafficSelectorResponder, IkePayloads.Ts("10.2.0.0", "10.2.0.255")),
    ];

    private static void Establish(Run run, IkeConversation c, EncryptionAlgorithm encryption, ushort keyLength, IntegrityAlgorithm integrity)
    {
        run.Ike(c.Clear(IkeExchangeType.IkeSaInit, true, false, 0, 0, (P.SecurityAssociation, IkePayloads.IkeSa()),
            (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048)), (P.Nonce, IkePayloads.Nonce())), fromClient: true);
        run.Ike(c.Clear(IkeExchangeType.IkeSaInit, false, true, 0, null, (P.SecurityAssociation, IkePayloads.IkeSa()),
            (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048)), (P.Nonce, IkePayloads.Nonce(0x70))), fromClient: false);
        run.Ike(c.Protected(IkeExchangeType.IkeAuth, true, false, 1, Auth(true, encryption, keyLength, integrity)), fromClient: true);
        run.Ike(c.Protected(IkeExchangeType.IkeAuth, false, true, 1, Auth(false, encryption, keyLength, integrity)), fromClient: false);
    }

    [Fact]
    [Trait("rfc", "7296-3.3.1")]
    public void NegotiatedNull_FirstPacket_VerdictNullFromTransformAndLinked()
    {
        var c = new IkeConversation();
        var run = new Run(new IkeTrackerOptions { IkeKeys = [c.KeyEntry] });
        Establish(run, c, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_384_192);
        // ESP from the initiator uses the SPI the responder chose (RFC 7296 §3.3.1, protocol-facts §4.13.4).
        run.EspNull(ResponderSpi, fromClient: true, icvLength: 24, sequence: 1);
        run.EspNull(InitiatorSpi, fromClient: false, icvLength: 24, sequence: 1);
        run.Pipeline.Finish();

        Assert.Contains((ResponderSpi, EspSaVerdict.Null, EspVerdictReason.Negotiated), run.Sink.EspVerdicts);
        Assert.Contains((InitiatorSpi, EspSaVerdict.Null, EspVerdictReason.Negotiated), run.Sink.EspVerdicts);
        foreach ((uint spi, EspSaVerdict verdict, int icv, IkeSaLink link, long nullPackets) in run.Sink.EspFlows)
        {
            Assert.Equal(EspSaVerdict.Null, verdict);
            Assert.Equal(24, icv);
            Assert.Equal(1, nullPackets);
            Assert.Equal(IkeLinkKind.Negotiated, link.Kind);
            Assert.True(link.TransformKnown);
            Assert.Equal(c.InitiatorSpi, link.InitiatorSpi);
            Assert.Equal(c.ResponderSpi, link.ResponderSpi);
        }
        Assert.Equal(2, run.Sink.EspFlows.Count);
    }

    [Fact]
    [Trait("rfc", "4106-8")]
    public void NegotiatedAesGcm_PacketLooksNull_StillEncrypted()
    {
        var c = new IkeConversation();
        var run = new Run(new IkeTrackerOptions { IkeKeys = [c.KeyEntry] });
        Establish(run, c, EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None);
        // Whatever the octets look like, the negotiated cipher decides (contract: "encrypted" for any other cipher).
        for (uint i = 1; i <= 6; i++)
        {
            run.EspNull(ResponderSpi, fromClient: true, icvLength: 16, sequence: i);
        }
        run.Pipeline.Finish();

        (uint Spi, EspSaVerdict Verdict, EspVerdictReason Reason) verdict = Assert.Single(run.Sink.EspVerdicts);
        Assert.Equal((ResponderSpi, EspSaVerdict.Encrypted, EspVerdictReason.Negotiated), verdict);
        var flow = Assert.Single(run.Sink.EspFlows);
        Assert.Equal(EspSaVerdict.Encrypted, flow.Verdict);
        Assert.Equal(0, flow.NullPackets);
        Assert.Equal(IkeLinkKind.Negotiated, flow.Link.Kind);
    }

    [Fact]
    [Trait("rfc", "4543-3")]
    public void NegotiatedNullAuthGmac_NullWithIv8Icv16()
    {
        var c = new IkeConversation();
        var run = new Run(new IkeTrackerOptions { IkeKeys = [c.KeyEntry] });
        Establish(run, c, EncryptionAlgorithm.NullAuthAesGmac, 128, IntegrityAlgorithm.None);
        byte[] inner = EspTestPackets.IPv4(EspTestPackets.InnerV4Source, EspTestPackets.InnerV4Destination, 1, EspTestPackets.IcmpEcho(7, 1, IkePayloads.Fill(24, 0x61)));
        run.Send(EspTestPackets.IPv4(Client, Gateway, 50, EspTestPackets.EspNull(ResponderSpi, 1, 4, inner, icvLength: 16, ivLength: 8)));
        run.Pipeline.Finish();

        var flow = Assert.Single(run.Sink.EspFlows);
        Assert.Equal(EspSaVerdict.Null, flow.Verdict);
        Assert.Equal(16, flow.IcvLength);
        Assert.Equal(1, flow.NullPackets);
    }

    [Fact]
    public void NoKeys_EstablishedByInference_EspFlowsLinkedLikelyAndClassifiedByHeuristics()
    {
        var c = new IkeConversation();
        var run = new Run(new IkeTrackerOptions());
        Establish(run, c, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128);
        for (uint i = 1; i <= 4; i++)
        {
            run.EspNull(ResponderSpi, fromClient: true, icvLength: 16, sequence: i);
        }
        run.Pipeline.Finish();

        var flow = Assert.Single(run.Sink.EspFlows);
        Assert.Equal(IkeLinkKind.Likely, flow.Link.Kind);
        Assert.False(flow.Link.TransformKnown);
        Assert.Equal(c.InitiatorSpi, flow.Link.InitiatorSpi);
        Assert.Equal(EspSaVerdict.Null, flow.Verdict);
        Assert.DoesNotContain(run.Sink.EspVerdicts, v => v.Reason == EspVerdictReason.Negotiated);
    }

    [Fact]
    public void EspFlowBetweenOtherHosts_NotLinked()
    {
        var c = new IkeConversation();
        var run = new Run(new IkeTrackerOptions());
        Establish(run, c, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128);
        run.Send(EspTestPackets.IPv4(NetworkAddress.Parse("203.0.113.1"), Gateway, 50, EspTestPackets.RandomEsp(120, 3, 0x55)));
        run.Pipeline.Finish();

        Assert.False(Assert.Single(run.Sink.EspFlows).Link.IsLinked);
    }

    [Fact]
    public void EspSaKeyFile_Null_VerdictFromKeyFileWithoutIke()
    {
        var entry = new EspSaEntry
        {
            Protocol = "IPv4",
            Source = Client.ToString(),
            SourceAddress = Client,
            Destination = Gateway.ToString(),
            DestinationAddress = Gateway,
            Spi = 0xABCD0001,
            EncryptionName = "NULL",
            Encryption = EncryptionAlgorithm.EncrNull,
            EncryptionKey = [],
            AuthenticationName = "HMAC-SHA-1-96 [RFC2404]",
            Integrity = IntegrityAlgorithm.HmacSha1_96,
            AuthenticationKey = new byte[20],
            IcvLength = 12,
            ChecksIntegrity = true,
        };
        var run = new Run(new IkeTrackerOptions { EspKeys = [entry] });
        run.EspNull(0xABCD0001, fromClient: true, icvLength: 12, sequence: 1);
        run.EspNull(0xABCD0002, fromClient: true, icvLength: 12, sequence: 1);
        run.Pipeline.Finish();

        Assert.Equal((0xABCD0001u, EspSaVerdict.Null, EspVerdictReason.KeyFile), Assert.Single(run.Sink.EspVerdicts));
        var keyed = run.Sink.EspFlows.Single(f => f.Spi == 0xABCD0001);
        Assert.Equal(12, keyed.IcvLength);
        Assert.True(keyed.Link.TransformKnown);
        Assert.False(keyed.Link.IsLinked);
        Assert.False(run.Sink.EspFlows.Single(f => f.Spi == 0xABCD0002).Link.TransformKnown);
    }

    [Fact]
    [Trait("rfc", "7296-2.18")]
    public void IkeRekeyed_FlowEndsAfter_LinkFollowsChildToNewSa()
    {
        var c = new IkeConversation();
        var next = new IkeConversation(0x7777000000000001, 0x8888000000000002);
        var run = new Run(new IkeTrackerOptions { IkeKeys = [c.KeyEntry, next.KeyEntry] });
        Establish(run, c, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128);
        run.EspNull(ResponderSpi, fromClient: true, icvLength: 16, sequence: 1);
        run.Ike(c.Protected(IkeExchangeType.CreateChildSa, true, false, 2, (P.SecurityAssociation, IkePayloads.IkeRekeySa(next.InitiatorSpi)),
            (P.Nonce, IkePayloads.Nonce()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))), fromClient: true);
        run.Ike(c.Protected(IkeExchangeType.CreateChildSa, false, true, 2, (P.SecurityAssociation, IkePayloads.IkeRekeySa(next.ResponderSpi)),
            (P.Nonce, IkePayloads.Nonce()), (P.KeyExchange, IkePayloads.Ke(DhGroup.Modp2048))), fromClient: false);
        run.EspNull(ResponderSpi, fromClient: true, icvLength: 16, sequence: 2);
        run.Pipeline.Finish();

        var flow = Assert.Single(run.Sink.EspFlows);
        Assert.Equal(IkeLinkKind.Negotiated, flow.Link.Kind);
        Assert.Equal(next.InitiatorSpi, flow.Link.InitiatorSpi);
        Assert.Equal(next.ResponderSpi, flow.Link.ResponderSpi);
    }

    [Fact]
    public void EspBeforeIke_LinkedOnceNegotiated()
    {
        var c = new IkeConversation();
        var run = new Run(new IkeTrackerOptions { IkeKeys = [c.KeyEntry] });
        run.EspNull(ResponderSpi, fromClient: true, icvLength: 16, sequence: 1);
        Establish(run, c, EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128);
        run.EspNull(ResponderSpi, fromClient: true, icvLength: 16, sequence: 2);
        run.Pipeline.Finish();

        var flow = Assert.Single(run.Sink.EspFlows);
        Assert.Equal(IkeLinkKind.Negotiated, flow.Link.Kind);
        Assert.Equal(EspSaVerdict.Null, flow.Verdict);
        Assert.Contains((ResponderSpi, EspSaVerdict.Null, EspVerdictReason.Negotiated), run.Sink.EspVerdicts);
    }
}
