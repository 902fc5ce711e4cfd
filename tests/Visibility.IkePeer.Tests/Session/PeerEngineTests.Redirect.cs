using System.Net;
using System.Net.Sockets;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>Redirect (RFC 5685) between engines: gateway A sends the initiator to gateway B.</summary>
public sealed partial class PeerEngineTests
{
    [Theory]
    [InlineData("127.0.0.3")]
    [InlineData("gw-b.test")]
    [Trait("rfc", "5685-3")]
    public async Task Redirect_InIkeSaInit_InitiatorEstablishesWithNewGatewayAndNamesTheOld(string gateway)
    {
        using var lab = new RedirectLab(RedirectPhase.Init, gateway);

        var session = await lab.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.Equal(RedirectLab.AddressB, session.Remote.Address);
        Assert.Empty(lab.GatewayA.Sessions);
        var atB = Assert.Single(lab.GatewayB.Sessions);
        Assert.Equal(RedirectLab.AddressA, atB.RedirectedFrom!.Address);
        Assert.True(atB.RedirectSupported);
        Assert.Contains($"redirected to {gateway}", lab.InitiatorOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await lab.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
    }

    [Fact]
    [Trait("rfc", "5685-6")]
    public async Task Redirect_InIkeAuth_InitiatorDeletesFirstSaAndMovesOn()
    {
        using var lab = new RedirectLab(RedirectPhase.Auth);
        var deletedAtA = lab.GatewayA.WhenDeletedByPeer;

        var session = await lab.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.Equal(RedirectLab.AddressB, session.Remote.Address);
        await deletedAtA.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(lab.GatewayA.Sessions);
        Assert.Equal(RedirectLab.AddressA, Assert.Single(lab.GatewayB.Sessions).RedirectedFrom!.Address);
        Assert.Contains("redirected to 127.0.0.3 in IKE_AUTH", lab.InitiatorOutput.ToString(), StringComparison.Ordinal);
        Assert.Single(lab.Initiator.Sessions);
    }

    [Fact]
    [Trait("rfc", "5685-5")]
    public async Task Redirect_Informational_InitiatorFollowsThenDeletesOldSa()
    {
        using var lab = new RedirectLab(RedirectPhase.Informational);
        var deletedAtA = lab.GatewayA.WhenDeletedByPeer;

        var session = await lab.Initiator.InitiateAsync(LoopbackPair.Timeout);
        Assert.Equal(RedirectLab.AddressA, session.Remote.Address);
        await deletedAtA.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("127.0.0.3", session.RedirectedTo!.ToString());
        Assert.Equal(RedirectLab.AddressB, session.Current.Remote.Address);
        Assert.Empty(lab.GatewayA.Sessions);
        Assert.Single(lab.GatewayB.Sessions);
        Assert.Equal(2, await lab.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
    }

    [Fact]
    [Trait("rfc", "5685-7")]
    public async Task Redirect_GatewaysRedirectToEachOther_LoopLimitStopsTheInitiator()
    {
        using var lab = new RedirectLab(RedirectPhase.Init, "127.0.0.3", redirectFromB: "127.0.0.1");

        var error = await Assert.ThrowsAsync<PeerException>(() => lab.Initiator.InitiateAsync(LoopbackPair.Timeout));

        Assert.Contains("redirect loop", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, CountOf(lab.InitiatorOutput.ToString(), "redirected to"));
    }

    [Fact]
    [Trait("rfc", "5685-3")]
    public async Task Redirect_ClientWithoutSupport_NotRedirected()
    {
        using var lab = new RedirectLab(RedirectPhase.Init);
        var request = IkeMessage.Create(0x7777, 0, IkeExchangeType.IkeSaInit, 0, false, true,
            new SecurityAssociationPayload([ProposalParser.Parse("aes128-sha256-modp2048", ProtocolId.Ike)[0].ToProposal(1, [])]),
            new KeyExchangePayload(DhGroup.Modp2048, Visibility.IkePeer.Crypto.KeyExchange.Create(DhGroup.Modp2048).PublicKey),
            new NoncePayload(new byte[32]));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(IkeCodec.Encode(request), new IPEndPoint(RedirectLab.AddressA, lab.GatewayA.IkePort));
        var reply = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(IkeDecodeStatus.Ok, IkeCodec.TryDecode(reply.Buffer, null, out var response));
        Assert.Null(response!.GetNotify(IkeNotifyType.Redirect));
        Assert.NotNull(response.Get<SecurityAssociationPayload>());
    }

    [Fact]
    [Trait("rfc", "5685-3")]
    public async Task Redirect_InitResponseWithWrongNonce_IgnoredNotFollowed()
    {
        using var fake = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)fake.Client.LocalEndPoint!).Port;
        using var pair = new LoopbackPair(initiatorOptions: o => o with { Remote = new IPEndPoint(IPAddress.Loopback, port) });
        var initiate = pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        var received = await fake.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(IkeDecodeStatus.Ok, IkeCodec.TryDecode(received.Buffer, null, out var request));
        Assert.NotNull(request!.GetNotify(IkeNotifyType.RedirectSupported));
        var forged = IkeMessage.Create(request.InitiatorSpi, 0, IkeExchangeType.IkeSaInit, 0, true, false,
            new NotifyPayload(IkeNotifyType.Redirect, GatewayIdentity.Parse("127.0.0.3").Encode(new byte[32])));
        await fake.SendAsync(IkeCodec.Encode(forged), received.RemoteEndPoint);

        var error = await Assert.ThrowsAsync<PeerException>(() => initiate);
        Assert.Contains("no response", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("redirected", pair.InitiatorOutput.ToString(), StringComparison.Ordinal);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
