using Visibility.IkePeer.Config;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>CREATE_CHILD_SA rekeys between two engines.</summary>
public sealed partial class PeerEngineTests
{
    [Theory]
    [InlineData("null-sha256")]
    [InlineData("aes128gcm16-modp2048")]
    [InlineData("aes256-sha384-ecp256")]
    [Trait("rfc", "7296-1.3.3")]
    public async Task RekeyChild_InitiatorRequests_NewSpisOldDeletedTrafficFlows(string esp)
    {
        using var pair = new LoopbackPair(initiatorEsp: esp, responderEsp: esp);
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var old = session.Children.Single();

        var replacement = await pair.Initiator.RekeyChildAsync(session, LoopbackPair.Timeout);

        Assert.NotEqual(old.Inbound.Spi, replacement.Inbound.Spi);
        Assert.Same(replacement, Assert.Single(session.Children));
        Assert.Equal(old.Inbound.Spi, replacement.RekeyOf);
        var responderChild = Assert.Single(Assert.Single(pair.Responder.Sessions).Children);
        Assert.Equal(replacement.Outbound.Spi, responderChild.Inbound.Spi);
        Assert.Equal(replacement.Inbound.Spi, responderChild.Outbound.Spi);
        Assert.Equal(3, await pair.Initiator.PingAsync(session, 3, LoopbackPair.Timeout));
        Assert.Equal(3u, replacement.Outbound.SequenceNumber);
        Assert.Equal(0u, old.Outbound.SequenceNumber);
    }

    [Fact]
    [Trait("rfc", "7296-1.3.3")]
    public async Task RekeyChild_ResponderRequests_InitiatorPingsThroughNewSa()
    {
        using var pair = new LoopbackPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var responderSession = Assert.Single(pair.Responder.Sessions);

        var replacement = await pair.Responder.RekeyChildAsync(responderSession, LoopbackPair.Timeout);

        var initiatorChild = Assert.Single(session.Children);
        Assert.Equal(replacement.Inbound.Spi, initiatorChild.Outbound.Spi);
        Assert.Equal(3, await pair.Initiator.PingAsync(session, 3, LoopbackPair.Timeout));
        Assert.Contains("rekeyed to", pair.InitiatorOutput.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("rfc", "7296-1.3.3")]
    public async Task RekeyChild_PfsGroupMismatch_InvalidKeThenRetryWithWantedGroup()
    {
        using var pair = new LoopbackPair(initiatorEsp: "aes128gcm16-modp2048-ecp256", responderEsp: "aes128gcm16-ecp256");
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        await pair.Initiator.RekeyChildAsync(session, LoopbackPair.Timeout);

        Assert.Equal(DhGroup.Ecp256, session.Children.Single().Suite.DhGroup);
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
    }

    [Fact]
    [Trait("rfc", "7296-2.25")]
    public async Task RekeyChild_UnknownSpi_ChildSaNotFound()
    {
        using var pair = new LoopbackPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var real = session.Children.Single();
        var ghost = new ChildSa(real.Suite, new EspSa(0x0bad0bad, real.Suite, real.Inbound.Keys), real.Outbound, real.LocalTs, real.RemoteTs);

        var error = await Assert.ThrowsAsync<PeerException>(() => pair.Initiator.RekeyChildAsync(session, LoopbackPair.Timeout, ghost));

        Assert.Contains("CHILD_SA_NOT_FOUND", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
    }

    [Theory]
    [InlineData("aes128-sha256-modp2048")]
    [InlineData("aes256gcm16-prfsha384-ecp384")]
    [Trait("rfc", "7296-2.18")]
    public async Task RekeyIke_InitiatorRequests_NewSpisChildrenMoveOldDeleted(string ike)
    {
        using var pair = new LoopbackPair(initiatorIke: ike, responderIke: ike);
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var child = session.Children.Single();
        var responderDeleted = pair.Responder.WhenDeletedByPeer;

        var replacement = await pair.Initiator.RekeyIkeAsync(session, LoopbackPair.Timeout);

        Assert.NotEqual(session.InitiatorSpi, replacement.InitiatorSpi);
        Assert.Equal(session.InitiatorSpi, replacement.RekeyedFrom);
        Assert.Equal(IkeSaState.Deleted, session.State);
        Assert.Same(replacement, session.Current);
        Assert.Same(child, Assert.Single(replacement.Children));
        var responderSession = Assert.Single(pair.Responder.Sessions);
        Assert.Equal(replacement.ResponderSpi, responderSession.ResponderSpi);
        Assert.Equal(replacement.Keys!.SkD, responderSession.Keys!.SkD);
        Assert.NotEqual(session.Keys!.SkD, replacement.Keys.SkD);
        Assert.Equal(child.Outbound.Spi, responderSession.Children.Single().Inbound.Spi);
        Assert.True(await pair.Initiator.CheckLivenessAsync(replacement, LoopbackPair.Timeout));
        Assert.Equal(1u, replacement.NextRequestId);   // message IDs restart at 0 (RFC 7296 §2.18)
        Assert.True(await pair.Responder.CheckLivenessAsync(responderSession, LoopbackPair.Timeout));
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
        Assert.False(responderDeleted.IsCompleted);
    }

    [Fact]
    [Trait("rfc", "7296-2.18")]
    public async Task RekeyIke_ResponderRequests_RolesFlipAndBothSidesKeepTalking()
    {
        using var pair = new LoopbackPair();
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var responderSession = Assert.Single(pair.Responder.Sessions);

        var replacement = await pair.Responder.RekeyIkeAsync(responderSession, LoopbackPair.Timeout);

        Assert.True(replacement.IsInitiator);
        var initiatorSide = session.Current;
        Assert.NotSame(session, initiatorSide);
        Assert.False(initiatorSide.IsInitiator);
        Assert.Equal(replacement.InitiatorSpi, initiatorSide.InitiatorSpi);
        Assert.True(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));
        Assert.True(await pair.Responder.CheckLivenessAsync(replacement, LoopbackPair.Timeout));
        await pair.Initiator.RekeyChildAsync(session, LoopbackPair.Timeout);
        Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
        await pair.Initiator.DeleteAsync(session, LoopbackPair.Timeout);
        Assert.Empty(pair.Responder.Sessions);
    }

    [Fact]
    public async Task Rekey_KeyExport_NewIkeRowAndNewEspRows()
    {
        var root = Directory.CreateTempSubdirectory("peer-rekey-keys-");
        try
        {
            using var pair = new LoopbackPair(initiatorKeys: Path.Combine(root.FullName, "i"), responderKeys: Path.Combine(root.FullName, "r"));
            var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
            var child = await pair.Initiator.RekeyChildAsync(session, LoopbackPair.Timeout);
            var replacement = await pair.Initiator.RekeyIkeAsync(session, LoopbackPair.Timeout);

            var ike = File.ReadAllLines(Path.Combine(root.FullName, "i", "ikev2_decryption_table"));
            Assert.Equal(ike, File.ReadAllLines(Path.Combine(root.FullName, "r", "ikev2_decryption_table")));
            Assert.Equal(2, ike.Length);
            Assert.StartsWith($"{replacement.InitiatorSpi:x16},{replacement.ResponderSpi:x16},", ike[1], StringComparison.Ordinal);
            var esp = File.ReadAllLines(Path.Combine(root.FullName, "i", "esp_sa"));
            Assert.Equal(4, esp.Length);
            Assert.Contains($"\"0x{child.Inbound.Spi:x8}\"", esp[3], StringComparison.Ordinal);
            Assert.Contains(File.ReadAllLines(Path.Combine(root.FullName, "i", "sa.jsonl")), l => l.Contains($"\"rekeyed_from\":\"{session.InitiatorSpi:x16}\"", StringComparison.Ordinal));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
