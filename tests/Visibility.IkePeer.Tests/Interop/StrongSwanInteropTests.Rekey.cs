namespace Visibility.IkePeer.Tests.Interop;

/// <summary>CREATE_CHILD_SA rekeys against charon, requested by either side.</summary>
public sealed partial class StrongSwanInteropTests
{
    [RequiresStrongSwanFact]
    [Trait("rfc", "7296-2.8")]
    public async Task Initiate_RekeysBothWaysWithPfs_CharonListsTheNewSpisAndTrafficFlows()
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(ResponderConnection("aes128-sha256-modp2048", "aes128gcm16-modp2048"));
        var keys = Path.Combine(lab.Directory, "keys");

        // Our rekeys: the Child SA (with a PFS key exchange), then the IKE SA.
        using var peer = lab.StartPeer(PeerArgs("initiate", "aes128gcm16-modp2048", "aes128-sha256-modp2048", "--rekey", "child,ike", "--keys", keys));
        Assert.True(await peer.WaitForOutputAsync("rekeyed to", s_peerTimeout, 2), $"{peer.Output}\n{peer.Error}\n{lab.CharonLog}");
        Assert.True(await peer.WaitForOutputAsync("deleted", s_peerTimeout, 1), $"{peer.Output}\n{peer.Error}");
        await AssertCharonListsOurLatestSasAsync(lab, keys);

        // charon's rekeys of the same SAs: we answer as CREATE_CHILD_SA responder.
        Assert.Equal(0, (await lab.SwanctlAsync("--rekey", "--child", "net")).ExitCode);
        Assert.True(await peer.WaitForOutputAsync("by the peer", s_peerTimeout), $"{peer.Output}\n{peer.Error}\n{lab.CharonLog}");
        Assert.Equal(0, (await lab.SwanctlAsync("--rekey", "--ike", "gw")).ExitCode);
        Assert.True(await peer.WaitForOutputAsync("rekeyed to", s_peerTimeout, 4), $"{peer.Output}\n{peer.Error}\n{lab.CharonLog}");
        await AssertCharonListsOurLatestSasAsync(lab, keys);

        var ping = await lab.PingFromGatewayAsync(3);
        Assert.True(ping.ExitCode == 0, $"{ping}\n{peer.Error}");
        Assert.Contains("3 received", ping.Output, StringComparison.Ordinal);
        Assert.Contains("selected proposal: ESP:AES_GCM_16_128/MODP_2048", lab.CharonLog, StringComparison.Ordinal);

        peer.Signal("TERM");
        Assert.Equal(0, (await peer.WaitAsync(TimeSpan.FromSeconds(15))).ExitCode);
    }

    [RequiresStrongSwanFact]
    [Trait("rfc", "7296-2.18")]
    public async Task Respond_CharonAndWeRekey_SasFollowAndCharonPingsThroughTheNewChild()
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(InitiatorConnection("aes256gcm16-prfsha384-ecp384", "null-sha256"));
        var keys = Path.Combine(lab.Directory, "keys");
        using var peer = lab.StartPeer(PeerArgs("respond", "null-sha256", "aes256gcm16-prfsha384-ecp384", "--once", "--keys", keys, "--rekey", "ike,child"));
        Assert.True(await peer.WaitForOutputAsync("listening on UDP 500 and 4500", s_peerTimeout), $"{peer.Output}\n{peer.Error}");

        var initiate = await lab.SwanctlAsync("--initiate", "--child", "outnet", "--timeout", "20");
        Assert.True(initiate.ExitCode == 0, $"{initiate}\n--- peer\n{peer.Output}\n{peer.Error}");
        Assert.True(await peer.WaitForOutputAsync("rekeyed to", s_peerTimeout, 2), $"{peer.Output}\n{peer.Error}\n{lab.CharonLog}");
        Assert.True(await peer.WaitForOutputAsync("deleted", s_peerTimeout, 1), $"{peer.Output}\n{peer.Error}");
        await AssertCharonListsOurLatestSasAsync(lab, keys);

        Assert.Equal(0, (await lab.SwanctlAsync("--rekey", "--ike", "out")).ExitCode);
        Assert.True(await peer.WaitForOutputAsync("rekeyed to", s_peerTimeout, 3), $"{peer.Output}\n{peer.Error}\n{lab.CharonLog}");
        Assert.Equal(0, (await lab.SwanctlAsync("--rekey", "--child", "outnet")).ExitCode);
        Assert.True(await peer.WaitForOutputAsync("by the peer", s_peerTimeout), $"{peer.Output}\n{peer.Error}\n{lab.CharonLog}");
        await AssertCharonListsOurLatestSasAsync(lab, keys);

        var ping = await lab.PingFromGatewayAsync(3);
        Assert.True(ping.ExitCode == 0, $"{ping}\n{peer.Error}");

        Assert.Equal(0, (await lab.SwanctlAsync("--terminate", "--ike", "out", "--timeout", "20")).ExitCode);
        var result = await peer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Spaced(File.ReadAllLines(Path.Combine(keys, "ikev2_decryption_table")).Last().Split(',')[2]), Dumps(lab.CharonLog, "Sk_ei secret"));
    }

    /// <summary>The header line of the Child SA whose inbound SPI is <paramref name="inboundSpi"/> in a listing, or null.</summary>
    private static string? ChildBlock(string listed, string inboundSpi)
    {
        var lines = listed.Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains($"in  {inboundSpi}", StringComparison.Ordinal));
        for (var i = at; i >= 0; i--)
        {
            if (lines[i].Contains("reqid", StringComparison.Ordinal))
            {
                return lines[i];
            }
        }

        return null;
    }

    /// <summary>charon's <c>--list-sas</c> shows the IKE SA and Child SA we exported last, and not the first ones.</summary>
    private static async Task AssertCharonListsOurLatestSasAsync(StrongSwanLab lab, string keys)
    {
        var ike = File.ReadAllLines(Path.Combine(keys, "ikev2_decryption_table"));
        var esp = File.ReadAllLines(Path.Combine(keys, "esp_sa"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string listed;
        var latest = ike[^1].Split(',');
        // Our outbound SPI (second to last row) is charon's inbound one, and the reverse.
        var ours = esp[^2].Split(',')[3].Trim('"')[2..];
        var theirs = esp[^1].Split(',')[3].Trim('"')[2..];
        do
        {
            listed = (await lab.SwanctlAsync("--list-sas")).Output;
            if (listed.Contains($"{latest[0]}_i", StringComparison.Ordinal) && listed.Contains($"in  {ours}", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains($"{latest[0]}_i", listed, StringComparison.Ordinal);
        Assert.Contains($"{latest[1]}_r", listed, StringComparison.Ordinal);
        Assert.Contains($"in  {ours}", listed, StringComparison.Ordinal);
        Assert.Contains($"out {theirs}", listed, StringComparison.Ordinal);
        Assert.DoesNotContain($"{ike[0].Split(',')[0]}_i", listed, StringComparison.Ordinal);
        // charon keeps a rekeyed Child SA listed as DELETED for a moment; it must not stay INSTALLED.
        var oldBlock = ChildBlock(listed, esp[0].Split(',')[3].Trim('"')[2..]);
        Assert.True(oldBlock is null || oldBlock.Contains("DELETED", StringComparison.Ordinal), listed);
    }
}
