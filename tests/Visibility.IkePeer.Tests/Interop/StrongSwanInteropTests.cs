using System.Text.RegularExpressions;

namespace Visibility.IkePeer.Tests.Interop;

/// <summary>visibility-peer against strongSwan 5.9.8 (charon with kernel-libipsec) in network namespaces.</summary>
[Collection(nameof(StrongSwanInteropTests))]
public sealed partial class StrongSwanInteropTests
{
    private static readonly TimeSpan s_peerTimeout = TimeSpan.FromSeconds(60);

    private static string ResponderConnection(string ike, string esp) => $$"""
          gw {
            version = 2
            local_addrs = {{StrongSwanLab.GatewayAddress}}
            proposals = {{ike}}
            local {
              auth = psk
              id = gw.test
            }
            remote {
              auth = psk
              id = peer.test
            }
            children {
              net {
                local_ts = {{StrongSwanLab.GatewayNet}}
                remote_ts = {{StrongSwanLab.PeerNet}}
                esp_proposals = {{esp}}
              }
            }
          }
        """;

    private static string InitiatorConnection(string ike, string esp) => $$"""
          out {
            version = 2
            local_addrs = {{StrongSwanLab.GatewayAddress}}
            remote_addrs = {{StrongSwanLab.PeerAddress}}
            proposals = {{ike}}
            local {
              auth = psk
              id = gw.test
            }
            remote {
              auth = psk
              id = peer.test
            }
            children {
              outnet {
                local_ts = {{StrongSwanLab.GatewayNet}}
                remote_ts = {{StrongSwanLab.PeerNet}}
                esp_proposals = {{esp}}
              }
            }
          }
        """;

    private static string[] PeerArgs(string command, string esp, string? ike, params string[] extra)
    {
        var args = new List<string> { command };
        if (command == "initiate")
        {
            args.AddRange(["--remote", StrongSwanLab.GatewayAddress]);
        }

        args.AddRange(["--psk", StrongSwanLab.Psk, "--id", "peer.test", "--remote-id", "gw.test", "--esp", esp,
            "--local-ts", StrongSwanLab.PeerNet, "--remote-ts", StrongSwanLab.GatewayNet, "--verbose"]);
        if (ike is not null)
        {
            args.AddRange(["--ike", ike]);
        }

        args.AddRange(extra);
        return [.. args];
    }

    [RequiresStrongSwanTheory]
    [InlineData("aes128-sha256-modp2048", "aes128-sha256-modp2048", "null-sha256", "ESP:NULL/HMAC_SHA2_256_128")]
    [InlineData("aes128-sha256-modp2048,aes256gcm16-prfsha384-ecp384", "aes256gcm16-prfsha384-ecp384", "aes128gcm16", "ESP:AES_GCM_16_128")]
    [InlineData("aes256-sha512-curve25519", "aes256-sha512-curve25519", "aes256-sha256", "ESP:AES_CBC_256/HMAC_SHA2_256_128")]
    [Trait("rfc", "7296-1.2")]
    public async Task Initiate_CharonResponds_PingsThroughTunnelThenDeletes(string ourIke, string charonIke, string esp, string charonChild)
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(ResponderConnection(charonIke, esp));
        var keys = Path.Combine(lab.Directory, "keys");

        using var peer = lab.StartPeer(PeerArgs("initiate", esp, ourIke, "--send-ping", "3", "--keys", keys));
        var result = await peer.WaitAsync(s_peerTimeout);

        Assert.True(result.ExitCode == 0, $"{result}\n--- charon\n{lab.CharonLog}");
        Assert.Contains("3 transmitted, 3 received", result.Output, StringComparison.Ordinal);
        var log = lab.CharonLog;
        Assert.Contains($"selected proposal: {charonChild}", log, StringComparison.Ordinal);
        Assert.Contains("received DELETE for IKE_SA gw[", log, StringComparison.Ordinal);

        // The keys we exported are the ones charon derived and logged.
        var ikeRow = File.ReadAllLines(Path.Combine(keys, "ikev2_decryption_table")).Last().Split(',');
        Assert.Contains(Spaced(ikeRow[2]), Dumps(log, "Sk_ei secret"));
        var espRows = File.ReadAllLines(Path.Combine(keys, "esp_sa"));
        Assert.Equal(2, espRows.Length);
        var childKey = esp.StartsWith("null", StringComparison.Ordinal) ? "integrity initiator key" : "encryption initiator key";
        var column = esp.StartsWith("null", StringComparison.Ordinal) ? 7 : 5;
        Assert.Contains(Spaced(espRows[0].Split(',')[column].Trim('"')[2..]), Dumps(log, childKey));
    }

    [RequiresStrongSwanFact]
    [Trait("rfc", "7296-2.23")]
    public async Task Initiate_HeldOpen_ListSasShowsAlgorithmsAndCharonPingsBack()
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(ResponderConnection("aes128-sha256-modp2048", "aes128gcm16"));

        using var peer = lab.StartPeer(PeerArgs("initiate", "aes128gcm16", "aes128-sha256-modp2048"));
        Assert.True(await peer.WaitForOutputAsync("CHILD SA established", s_peerTimeout), $"{peer.Output}\n{peer.Error}\n{lab.CharonLog}");

        var sas = await lab.SwanctlAsync("--list-sas");
        Assert.Contains("ESTABLISHED, IKEv2", sas.Output, StringComparison.Ordinal);
        Assert.Contains("AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", sas.Output, StringComparison.Ordinal);
        Assert.Contains("INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-128", sas.Output, StringComparison.Ordinal);
        Assert.Contains("198.18.0.1[4500]", sas.Output, StringComparison.Ordinal);

        var ping = await lab.PingFromGatewayAsync(3);
        Assert.True(ping.ExitCode == 0, $"{ping}\n{peer.Error}");
        Assert.Contains("3 received", ping.Output, StringComparison.Ordinal);

        peer.Signal("TERM");
        var result = await peer.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("ESTABLISHED", (await lab.SwanctlAsync("--list-sas")).Output, StringComparison.Ordinal);
    }

    [RequiresStrongSwanTheory]
    [InlineData("aes256gcm16-prfsha384-ecp384", "aes128gcm16", "AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_384", "ESP:AES_GCM_16-128")]
    [InlineData("aes128-sha256-modp2048", "null-sha256", "AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", "ESP:NULL/HMAC_SHA2_256_128")]
    [Trait("rfc", "7296-1.2")]
    public async Task Respond_CharonInitiates_ListSasPingAndTerminate(string ike, string esp, string listedIke, string listedChild)
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(InitiatorConnection(ike, esp));
        var keys = Path.Combine(lab.Directory, "keys");
        using var peer = lab.StartPeer(PeerArgs("respond", "aes128gcm16,null-sha256", "aes128-sha256-modp2048,aes256gcm16-prfsha384-ecp384", "--once", "--keys", keys));
        Assert.True(await peer.WaitForOutputAsync("listening on UDP 500 and 4500", s_peerTimeout), $"{peer.Output}\n{peer.Error}");

        var initiate = await lab.SwanctlAsync("--initiate", "--child", "outnet", "--timeout", "20");
        Assert.True(initiate.ExitCode == 0, $"{initiate}\n--- peer\n{peer.Output}\n{peer.Error}");

        var sas = await lab.SwanctlAsync("--list-sas");
        Assert.Contains(listedIke, sas.Output, StringComparison.Ordinal);
        Assert.Contains(listedChild, sas.Output, StringComparison.Ordinal);

        var ping = await lab.PingFromGatewayAsync(3);
        Assert.True(ping.ExitCode == 0, $"{ping}\n{peer.Error}");

        var terminate = await lab.SwanctlAsync("--terminate", "--ike", "out", "--timeout", "20");
        Assert.Equal(0, terminate.ExitCode);
        var result = await peer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("deleted by the peer", result.Output, StringComparison.Ordinal);
        Assert.Contains(Spaced(File.ReadAllLines(Path.Combine(keys, "ikev2_decryption_table")).Single().Split(',')[3]), Dumps(lab.CharonLog, "Sk_er secret"));
    }

    [RequiresStrongSwanFact]
    [Trait("rfc", "7296-2.15")]
    public async Task Initiate_WrongPsk_ExitsNonZeroWithReason()
    {
        using var lab = new StrongSwanLab();
        await lab.StartAsync(ResponderConnection("aes128-sha256-modp2048", "null-sha256"));
        var args = PeerArgs("initiate", "null-sha256", "aes128-sha256-modp2048", "--send-ping", "1");
        args[Array.IndexOf(args, StrongSwanLab.Psk)] = "not the secret";

        using var peer = lab.StartPeer(args);
        var result = await peer.WaitAsync(s_peerTimeout);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("AUTHENTICATION_FAILED", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The hex dumps charon logged under <paramref name="label"/>, as uppercase hex with spaces removed.</summary>
    private static List<string> Dumps(string log, string label)
    {
        var dumps = new List<string>();
        var lines = log.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].Contains(label + " =>", StringComparison.Ordinal))
            {
                continue;
            }

            var hex = new System.Text.StringBuilder();
            for (var j = i + 1; j < lines.Length && DumpLine().Match(lines[j]) is { Success: true } m; j++)
            {
                hex.Append(m.Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal));
            }

            dumps.Add(hex.ToString());
        }

        return dumps;
    }

    private static string Spaced(string hex) => hex.ToUpperInvariant();

    [GeneratedRegex(@"\]\s+\d+: ((?:[0-9A-F]{2} ?)+)")]
    private static partial Regex DumpLine();
}
