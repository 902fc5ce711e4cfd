using System.Net;
using System.Net.Sockets;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Session;

public sealed partial class PeerEngineTests
{
    [Theory]
    [InlineData("aes128-sha256-modp2048", "null-sha256")]
    [InlineData("aes256-sha512-modp3072", "aes128gcm16")]
    [InlineData("aes128gcm16-prfsha256-ecp256", "aes256-sha384")]
    [InlineData("aes256gcm16-prfsha384-ecp384", "null-sha1")]
    [InlineData("aes128-sha256-curve25519", "aes256gcm16")]
    [Trait("rfc", "7296-1.2")]
    public async Task Initiate_MatchingConfig_EstablishesAndPingsThroughChild(string ike, string esp)
    {
        using var pair = new LoopbackPair(initiatorIke: ike, responderIke: ike, initiatorEsp: esp, responderEsp: esp);

        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.Equal(IkeSaState.Established, session.State);
        var responderSession = Assert.Single(pair.Responder.Sessions);
        Assert.Equal(IkeSaState.Established, responderSession.State);
        Assert.Equal(session.ResponderSpi, responderSession.ResponderSpi);
        Assert.Equal("responder.test", session.RemoteIdentity!.ToString());
        Assert.Equal("initiator.test", responderSession.RemoteIdentity!.ToString());
        var child = Assert.Single(session.Children);
        Assert.Equal(child.Outbound.Spi, responderSession.Children[0].Inbound.Spi);
        Assert.Equal(4, await pair.Initiator.PingAsync(session, 4, LoopbackPair.Timeout));
    }

    [Fact]
    [Trait("rfc", "7296-2.6")]
    public async Task Initiate_ResponderDemandsCookie_RetriesWithCookieAndEstablishes()
    {
        using var pair = new LoopbackPair(requireCookie: true);
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        Assert.Equal(IkeSaState.Established, session.State);
    }

    [Fact]
    [Trait("rfc", "7296-1.2")]
    public async Task Initiate_ResponderWantsOtherGroup_InvalidKePayloadThenRetryKeepsSpi()
    {
        using var pair = new LoopbackPair(initiatorIke: "aes128-sha256-modp2048-ecp256", responderIke: "aes128-sha256-ecp256");
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        Assert.Equal(DhGroup.Ecp256, session.Suite!.DhGroup);
        Assert.Equal(session.InitiatorSpi, Assert.Single(pair.Responder.Sessions).InitiatorSpi);
    }

    [Fact]
    [Trait("rfc", "7296-2.15")]
    public async Task Initiate_WrongPsk_AuthenticationFailed()
    {
        using var pair = new LoopbackPair(initiatorPsk: "one", responderPsk: "two");
        var failed = pair.Responder.WhenFailed;
        var error = await Assert.ThrowsAsync<PeerException>(() => pair.Initiator.InitiateAsync(LoopbackPair.Timeout));
        Assert.Contains("AUTHENTICATION_FAILED", error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication", await failed.WaitAsync(TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        Assert.Empty(pair.Responder.Sessions);
    }

    [Fact]
    public async Task Initiate_NoCommonIkeProposal_NoProposalChosen()
    {
        using var pair = new LoopbackPair(initiatorIke: "aes128-sha256-modp2048", responderIke: "aes256-sha512-modp2048");
        var error = await Assert.ThrowsAsync<PeerException>(() => pair.Initiator.InitiateAsync(LoopbackPair.Timeout));
        Assert.Contains("NO_PROPOSAL_CHOSEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("rfc", "7296-1.2")]
    public async Task Initiate_NoCommonEspProposal_IkeUpChildRefused()
    {
        using var pair = new LoopbackPair(initiatorEsp: "null-sha256", responderEsp: "aes128gcm16");
        var error = await Assert.ThrowsAsync<PeerException>(() => pair.Initiator.InitiateAsync(LoopbackPair.Timeout));
        Assert.Contains("Child SA failed: NO_PROPOSAL_CHOSEN", error.Message, StringComparison.Ordinal);
        Assert.Equal(IkeSaState.Established, Assert.Single(pair.Responder.Sessions).State);
    }

    [Fact]
    [Trait("rfc", "7296-2.9")]
    public async Task Initiate_DisjointSelectors_TsUnacceptable()
    {
        using var pair = new LoopbackPair(responderLocalTs: "10.99.0.0/24");
        var error = await Assert.ThrowsAsync<PeerException>(() => pair.Initiator.InitiateAsync(LoopbackPair.Timeout));
        Assert.Contains("TS_UNACCEPTABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("rfc", "7296-1.4.1")]
    public async Task Delete_EstablishedSa_ResponderSeesDeleteAndForgetsIt()
    {
        using var pair = new LoopbackPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var deleted = pair.Responder.WhenDeletedByPeer;

        await pair.Initiator.DeleteAsync(session, LoopbackPair.Timeout);

        await deleted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(pair.Responder.Sessions);
        Assert.Empty(pair.Initiator.Sessions);
        Assert.Equal(IkeSaState.Deleted, session.State);
    }

    [Fact]
    [Trait("rfc", "7296-1.4")]
    public async Task CheckLiveness_BothDirections_Answered()
    {
        using var pair = new LoopbackPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        Assert.True(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));
        Assert.True(await pair.Responder.CheckLivenessAsync(pair.Responder.Sessions[0], LoopbackPair.Timeout));
        Assert.True(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));
        Assert.Equal(4u, session.NextRequestId);   // IKE_SA_INIT 0, IKE_AUTH 1, then 2 and 3
    }

    [Fact]
    [Trait("rfc", "7296-2.1")]
    public async Task CheckLiveness_PeerGone_FalseAfterRetransmissions()
    {
        using var pair = new LoopbackPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        pair.Responder.Dispose();
        Assert.False(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));
        Assert.Equal(3, session.Retransmissions);
    }

    [Fact]
    [Trait("rfc", "7296-2.1")]
    public async Task Responder_RetransmittedInitRequest_SameResponseAndOneSa()
    {
        using var pair = new LoopbackPair();
        var request = IkeMessage.Create(0x4242, 0, IkeExchangeType.IkeSaInit, 0, false, true,
            new SecurityAssociationPayload([Visibility.IkePeer.Config.ProposalParser.Parse("aes128-sha256-modp2048", ProtocolId.Ike)[0].ToProposal(1, [])]),
            new KeyExchangePayload(DhGroup.Modp2048, Visibility.IkePeer.Crypto.KeyExchange.Create(DhGroup.Modp2048).PublicKey),
            new NoncePayload(new byte[32]));
        var bytes = IkeCodec.Encode(request);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var responder = new IPEndPoint(IPAddress.Loopback, pair.Responder.IkePort);

        await client.SendAsync(bytes, responder);
        var first = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        await client.SendAsync(bytes, responder);
        var second = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(first.Buffer, second.Buffer);
        Assert.Single(pair.Responder.Sessions);
    }

    [Fact]
    public async Task KeyExport_BothSides_WriteTheSameIkeRowAndMirroredEspRows()
    {
        var root = Directory.CreateTempSubdirectory("peer-keys-");
        try
        {
            using var pair = new LoopbackPair(initiatorKeys: Path.Combine(root.FullName, "i"), responderKeys: Path.Combine(root.FullName, "r"),
                initiatorIke: "aes128gcm16-prfsha256-ecp256", responderIke: "aes128gcm16-prfsha256-ecp256", initiatorEsp: "aes128gcm16", responderEsp: "aes128gcm16");
            await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

            var ikeI = File.ReadAllLines(Path.Combine(root.FullName, "i", "ikev2_decryption_table"));
            var ikeR = File.ReadAllLines(Path.Combine(root.FullName, "r", "ikev2_decryption_table"));
            Assert.Equal(ikeI, ikeR);
            Assert.EndsWith("\"AES-GCM-128 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"", ikeI.Single(), StringComparison.Ordinal);
            var espI = File.ReadAllLines(Path.Combine(root.FullName, "i", "esp_sa"));
            var espR = File.ReadAllLines(Path.Combine(root.FullName, "r", "esp_sa"));
            Assert.Equal(2, espI.Length);
            Assert.Equal(espI.Order(StringComparer.Ordinal), espR.Order(StringComparer.Ordinal));
            Assert.All(espI, line => Assert.Contains("\"AES-GCM with 16 octet ICV [RFC4106]\"", line, StringComparison.Ordinal));
            Assert.Equal(3, File.ReadAllLines(Path.Combine(root.FullName, "i", "sa.jsonl")).Length);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
