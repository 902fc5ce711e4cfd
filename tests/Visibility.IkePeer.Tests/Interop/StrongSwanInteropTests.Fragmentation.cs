namespace Visibility.IkePeer.Tests.Interop;

/// <summary>IKE fragmentation (RFC 7383) with charon: both sides announce it and cut IKE_AUTH into SKF fragments of
/// 200-octet IP datagrams (the PSK IKE_AUTH messages are 200-odd octets); each reassembles the other's.</summary>
public sealed partial class StrongSwanInteropTests
{
    private const string CharonFragmentSize = "fragment_size = 200";

    private static string Forced(string connection) =>
        connection.Replace("version = 2", "version = 2\n    fragmentation = force", StringComparison.Ordinal);

    [RequiresStrongSwanFact]
    [Trait("rfc", "7383-2.5")]
    public async Task Initiate_FragmentationForced_IkeAuthFragmentedBothWaysAndTrafficFlows()
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(Forced(ResponderConnection("aes128-sha256-modp2048", "null-sha256")), charonSettings: CharonFragmentSize);

        using var peer = lab.StartPeer(PeerArgs("initiate", "null-sha256", "aes128-sha256-modp2048", "--send-ping", "3", "--fragment-size", "200"));
        var result = await peer.WaitAsync(s_peerTimeout);

        var log = lab.CharonLog;
        Assert.True(result.ExitCode == 0, $"{result}\n--- charon\n{log}");
        Assert.Contains("3 transmitted, 3 received", result.Output, StringComparison.Ordinal);
        Assert.True(log.Contains("reassembled fragmented IKE message", StringComparison.Ordinal), $"charon reassembled nothing\n{result}\n--- charon\n{log}");
        Assert.True(log.Contains("splitting IKE message", StringComparison.Ordinal), $"charon fragmented nothing\n{result}\n--- charon\n{log}");
        Assert.Contains("fragment 1/", result.Error, StringComparison.Ordinal);
    }

    [RequiresStrongSwanFact]
    [Trait("rfc", "7383-2.5")]
    public async Task Respond_FragmentationForced_CharonInitiatesWithFragmentsAndPings()
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(Forced(InitiatorConnection("aes256gcm16-prfsha384-ecp384", "aes128gcm16")), charonSettings: CharonFragmentSize);
        using var peer = lab.StartPeer(PeerArgs("respond", "aes128gcm16", "aes256gcm16-prfsha384-ecp384", "--once", "--fragment-size", "200"));
        Assert.True(await peer.WaitForOutputAsync("listening on UDP 500 and 4500", s_peerTimeout), $"{peer.Output}\n{peer.Error}");

        var initiate = await lab.SwanctlAsync("--initiate", "--child", "outnet", "--timeout", "20");
        Assert.True(initiate.ExitCode == 0, $"{initiate}\n--- peer\n{peer.Output}\n{peer.Error}\n--- charon\n{lab.CharonLog}");
        var ping = await lab.PingFromGatewayAsync(3);
        Assert.True(ping.ExitCode == 0, $"{ping}\n{peer.Error}");

        var terminate = await lab.SwanctlAsync("--terminate", "--ike", "out", "--timeout", "20");
        Assert.Equal(0, terminate.ExitCode);
        var result = await peer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.ToString());
        var log = lab.CharonLog;
        Assert.True(log.Contains("reassembled fragmented IKE message", StringComparison.Ordinal), $"charon reassembled nothing\n{result}\n--- charon\n{log}");
        Assert.True(log.Contains("splitting IKE message", StringComparison.Ordinal), $"charon fragmented nothing\n{result}\n--- charon\n{log}");
        Assert.Contains("fragment 1/", result.Error, StringComparison.Ordinal);
    }
}
