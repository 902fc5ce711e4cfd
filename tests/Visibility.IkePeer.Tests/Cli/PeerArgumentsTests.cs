using Visibility.IkePeer.Cli;
using Visibility.IkePeer.Config;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Cli;

public sealed class PeerArgumentsTests
{
    private static readonly string[] s_initiate =
        ["initiate", "--remote", "192.0.2.1", "--psk", "secret", "--id", "peer.test", "--esp", "null-sha256", "--local-ts", "10.1.0.0/24", "--remote-ts", "10.2.0.0/24"];

    private static readonly string[] s_respond =
        ["respond", "--psk", "secret", "--id", "192.0.2.2", "--esp", "aes128gcm16", "--local-ts", "10.2.0.0/24", "--remote-ts", "10.1.0.0/24"];

    [Fact]
    public void Parse_ContractInitiate_AllFields()
    {
        var parsed = PeerArguments.Parse([.. s_initiate, "--send-ping", "5", "--remote-id", "gw.test", "--ike", "aes256-sha256-modp2048"]);

        Assert.Equal(PeerCommand.Initiate, parsed.Command);
        Assert.Equal(5, parsed.SendPing);
        Assert.Equal("192.0.2.1:500", parsed.Options.Remote!.ToString());
        Assert.Equal(4500, parsed.Options.RemoteNatTraversalPort);
        Assert.Equal(IdType.Fqdn, parsed.Options.LocalId.IdType);     // ID_FQDN
        Assert.Equal("gw.test", parsed.Options.RemoteId!.ToString());
        Assert.Equal("secret"u8.ToArray(), parsed.Options.SharedSecret);
        Assert.Equal(256, parsed.Options.IkeProposals.Single().Encryptions[0].KeyBits);
        Assert.Equal("10.1.0.0..10.1.0.255", parsed.Options.LocalTs.ToString());
    }

    [Fact]
    public void Parse_ContractRespond_DefaultsAndAddressIdentity()
    {
        var parsed = PeerArguments.Parse([.. s_respond, "--once", "--listen", "192.0.2.2"]);

        Assert.Equal(PeerCommand.Respond, parsed.Command);
        Assert.True(parsed.Once);
        Assert.Equal("192.0.2.2", parsed.Options.Listen!.ToString());
        Assert.Equal(IdType.IPv4Address, parsed.Options.LocalId.IdType);     // ID_IPV4_ADDR
        Assert.Null(parsed.Options.RemoteId);
        Assert.Equal(5, parsed.Options.IkeProposals.Count);
        Assert.Equal((500, 4500), (parsed.Options.IkePort, parsed.Options.NatTraversalPort));
    }

    public static TheoryData<string[]> BadUsage => new()
    {
        Array.Empty<string>(),
        (string[])["dance"],
        s_initiate[..^2],
        (string[])[.. s_initiate, "--send-ping", "0"],
        (string[])[.. s_initiate, "--once"],
        (string[])[.. s_respond, "--send-ping", "1"],
        (string[])[.. s_respond, "--remote", "192.0.2.1"],
        (string[])[.. s_initiate, "--bogus"],
        (string[])[.. s_initiate, "--esp", "null-sha256"],
        (string[])[.. s_initiate[..^2], "--remote-ts", "2001:db8::/64"],
        (string[])[.. s_respond[..^4], "--local-ts", "10.2.0.0/40", "--remote-ts", "10.1.0.0/24"],
        (string[])["initiate", "--remote", "not-an-ip", "--psk", "s", "--id", "i", "--esp", "null-sha256", "--local-ts", "10.1.0.0/24", "--remote-ts", "10.2.0.0/24"],
        (string[])[.. s_initiate, "--ike", "aes128gcm16-modp2048"],
        (string[])[.. s_respond, "--listen"],
        (string[])[.. s_initiate, "--rekey", "esp"],
        (string[])[.. s_initiate, "--redirect-to", "192.0.2.9"],
        (string[])[.. s_initiate, "--simulate-crash"],
        (string[])[.. s_respond, "--redirect-in", "auth"],
        (string[])[.. s_respond, "--redirect-to", "192.0.2.9", "--redirect-in", "child"],
        (string[])[.. s_respond, "--redirect-to", "192.0.2.9", "--redirect-in", "auth", "--redirect-after-setup"],
    };

    [Theory]
    [InlineData("192.0.2.9", null, "Init", "IPv4Address")]
    [InlineData("2001:db8::9", "auth", "Auth", "IPv6Address")]
    [InlineData("gw2.example", "after-setup", "Informational", "Fqdn")]
    public void Parse_RedirectTo_GatewayTypeAndPhase(string gateway, string? phase, string expectedPhase, string expectedType)
    {
        string[] extra = phase switch
        {
            null => [],
            "after-setup" => ["--redirect-after-setup"],
            _ => ["--redirect-in", phase],
        };
        var options = PeerArguments.Parse([.. s_respond, "--redirect-to", gateway, .. extra]).Options;

        Assert.Equal(gateway, options.RedirectTo!.ToString());
        Assert.Equal(expectedType, options.RedirectTo.Type.ToString());
        Assert.Equal(expectedPhase, options.RedirectPhase.ToString());
    }

    [Fact]
    public void Parse_QcdAndSimulateCrash_CrashImpliesMaker()
    {
        Assert.True(PeerArguments.Parse([.. s_initiate, "--qcd"]).Options.Qcd);
        var crash = PeerArguments.Parse([.. s_respond, "--simulate-crash"]).Options;
        Assert.True(crash.Qcd);
        Assert.True(crash.SimulateCrash);
        Assert.False(PeerArguments.Parse(s_respond).Options.Qcd);
    }

    [Fact]
    [Trait("rfc", "7383-2.5.1")]
    public void Parse_FragmentSize_DefaultsToRfcAndTakesValueOnBothCommands()
    {
        var plain = PeerArguments.Parse(s_initiate).Options;
        Assert.True(plain.Fragmentation);
        Assert.Null(plain.FragmentSize);
        Assert.Equal(400, PeerArguments.Parse([.. s_initiate, "--fragment-size", "400"]).Options.FragmentSize);
        Assert.Equal(1280, PeerArguments.Parse([.. s_respond, "--fragment-size", "1280"]).Options.FragmentSize);
        Assert.False(PeerArguments.Parse([.. s_respond, "--no-fragmentation"]).Options.Fragmentation);
    }

    [Theory]
    [InlineData("199")]
    [InlineData("65536")]
    [InlineData("big")]
    public void Parse_FragmentSizeOutOfRange_Throws(string size) =>
        Assert.Throws<UsageException>(() => PeerArguments.Parse([.. s_initiate, "--fragment-size", size]));

    [Fact]
    public void Parse_FragmentSizeWithNoFragmentation_Throws() =>
        Assert.Throws<UsageException>(() => PeerArguments.Parse([.. s_initiate, "--fragment-size", "400", "--no-fragmentation"]));

    [Fact]
    public void Parse_Wesp_SwitchOnBothCommands()
    {
        Assert.True(PeerArguments.Parse([.. s_initiate, "--wesp"]).Options.Wesp);
        Assert.True(PeerArguments.Parse([.. s_respond, "--wesp"]).Options.Wesp);
        Assert.False(PeerArguments.Parse(s_respond).Options.Wesp);
    }

    [Fact]
    public void Parse_Rekey_StepsInOrderForBothCommands()
    {
        Assert.Equal([RekeyStep.Child, RekeyStep.Ike, RekeyStep.Child], PeerArguments.Parse([.. s_initiate, "--rekey", "child, ike,child"]).Rekeys);
        Assert.Equal([RekeyStep.Ike], PeerArguments.Parse([.. s_respond, "--rekey", "ike"]).Rekeys);
        Assert.Empty(PeerArguments.Parse(s_respond).Rekeys);
    }

    [Theory]
    [MemberData(nameof(BadUsage))]
    public void Parse_BadUsage_Throws(string[] args) => Assert.Throws<UsageException>(() => PeerArguments.Parse(args));

    [Fact]
    public async Task RunAsync_BadUsage_Exit1WithUsage()
    {
        using var error = new StringWriter();
        var code = await PeerRunner.RunAsync(["initiate", "--psk"], TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.StartsWith("visibility-peer: --psk needs a value", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: visibility-peer initiate", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NobodyAnswers_Exit2WithOneLineReason()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["initiate", "--remote", "127.0.0.1", "--port", "9", "--psk", "s", "--id", "peer.test", "--esp", "null-sha256",
            "--local-ts", "10.1.0.0/24", "--remote-ts", "10.2.0.0/24", "--retransmit-timeout", "0.02"];

        var code = await PeerRunner.RunAsync(args, output, error, CancellationToken.None);

        Assert.Equal(2, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no response from 127.0.0.1:9", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SendPcapExistingFile_Kept()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.Equal(path, PeerArguments.Parse([.. s_initiate, "--send-pcap", path]).SendPcap);
            Assert.Null(PeerArguments.Parse(s_initiate).SendPcap);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_SendPcapMissingFile_ThrowsNamingTheFile()
    {
        var error = Assert.Throws<UsageException>(() => PeerArguments.Parse([.. s_initiate, "--send-pcap", "/nonexistent/none.pcap"]));
        Assert.Equal("--send-pcap: no such file '/nonexistent/none.pcap'", error.Message);
    }

    [Fact]
    public void Parse_SendPcapWithSendPingOrOnRespond_Throws()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.Throws<UsageException>(() => PeerArguments.Parse([.. s_initiate, "--send-pcap", path, "--send-ping", "1"]));
            Assert.Throws<UsageException>(() => PeerArguments.Parse([.. s_respond, "--send-pcap", path]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_EspTransport_UdpByDefaultRawOnBothCommands()
    {
        Assert.Equal(EspTransport.Udp, PeerArguments.Parse(s_initiate).Options.EspTransport);
        Assert.Equal(EspTransport.Udp, PeerArguments.Parse([.. s_respond, "--esp-transport", "udp"]).Options.EspTransport);
        Assert.Equal(EspTransport.Raw, PeerArguments.Parse([.. s_initiate, "--esp-transport", "raw"]).Options.EspTransport);
        Assert.Equal(EspTransport.Raw, PeerArguments.Parse([.. s_respond, "--esp-transport", "raw"]).Options.EspTransport);
    }

    [Theory]
    [InlineData("esp")]
    [InlineData("RAW")]
    [InlineData("")]
    public void Parse_EspTransportUnknown_Throws(string value)
    {
        var e = Assert.Throws<UsageException>(() => PeerArguments.Parse([.. s_initiate, "--esp-transport", value]));
        Assert.Contains("--esp-transport takes udp or raw", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_NamesEspTransport() =>
        Assert.Contains("[--esp-transport udp|raw]", PeerArguments.Usage, StringComparison.Ordinal);
}
