namespace Visibility.IkePeer.Tests.Interop;

/// <summary>ENCR_NULL_AUTH_AES_GMAC (RFC 4543) Child SAs with charon. charon negotiates them, but its userspace ESP
/// (kernel-libipsec, the only ESP here: the kernel has no XFRM ESP) cannot install them, so what is proven against
/// strongSwan is the negotiation: our proposal (transform 21 with a Key Length attribute, no integrity transform) is
/// understood and chosen. Traffic through GMAC SAs is proven between two of our engines.</summary>
public sealed partial class StrongSwanInteropTests
{
    [RequiresStrongSwanTheory]
    [InlineData("aes128gmac", "128")]
    [InlineData("aes256gmac", "256")]
    [Trait("rfc", "4543-9")]
    public async Task Initiate_GmacChildSa_CharonSelectsOurProposalThenLibipsecRefusesIt(string esp, string bits)
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(ResponderConnection("aes128-sha256-modp2048", esp));

        using var peer = lab.StartPeer(PeerArgs("initiate", esp, "aes128-sha256-modp2048", "--send-ping", "1"));
        var result = await peer.WaitAsync(s_peerTimeout);

        var log = lab.CharonLog;
        Assert.True(log.Contains($"selected proposal: ESP:NULL_AES_GMAC_{bits}/NO_EXT_SEQ", StringComparison.Ordinal), $"{result}\n--- charon\n{log}");
        Assert.Contains("unsupported AEAD algorithm NULL_AES_GMAC", log, StringComparison.Ordinal);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("NO_PROPOSAL_CHOSEN", result.Error, StringComparison.Ordinal);
    }
}
