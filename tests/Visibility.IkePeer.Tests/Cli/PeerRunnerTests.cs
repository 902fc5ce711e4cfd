using System.Net;
using System.Net.Sockets;
using Visibility.IkePeer.Cli;

namespace Visibility.IkePeer.Tests.Cli;

public sealed class PeerRunnerTests
{
    private static (int Ike, int Natt) FreePorts()
    {
        using var a = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return (((IPEndPoint)a.Client.LocalEndPoint!).Port, ((IPEndPoint)b.Client.LocalEndPoint!).Port);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task RunAsync_Help_UsageWithFragmentationOptionsAndScenariosOnStdoutExit0(string flag)
    {
        using var output = new StringWriter();

        var code = await PeerRunner.RunAsync([flag], output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains("--fragment-size N | --no-fragmentation", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--send-ping N | --send-pcap FILE", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("null-gmac", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("fragmentation", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("rfc", "6290-4.5")]
    public async Task RunAsync_ResponderSimulatesCrash_InitiatorExits3SayingThePeerLostTheSa()
    {
        var (ike, natt) = FreePorts();
        string[] common = ["--psk", "cli secret", "--esp", "null-sha256", "--port", ike.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--natt-port", natt.ToString(System.Globalization.CultureInfo.InvariantCulture), "--retransmit-timeout", "0.3"];
        using var responderOutput = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var responder = PeerRunner.RunAsync(["respond", .. common, "--id", "gw.test", "--listen", "127.0.0.1", "--local-ts", "10.2.0.0/24",
            "--remote-ts", "10.1.0.0/24", "--once", "--simulate-crash"], responderOutput, TextWriter.Null, stop.Token);
        await Task.Delay(300);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PeerRunner.RunAsync(["initiate", .. common, "--id", "client.test", "--remote", "127.0.0.1", "--local-ts", "10.1.0.0/24",
            "--remote-ts", "10.2.0.0/24", "--send-ping", "1"], output, error, stop.Token);

        Assert.True(code == PeerRunner.ExitPeerLost, $"{code}\n{output}\n{error}\n{responderOutput}");
        Assert.Contains("lost IKE SA", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("QCD token", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 transmitted, 0 received", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(PeerRunner.ExitSuccess, await responder.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("answered INVALID_IKE_SPI with its QCD token", responderOutput.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("rfc", "4303-3.1.2")]
    public async Task RunAsync_SendPcapPeerToPeer_InitiatorSummarisesResponderCountsTheSamePackets()
    {
        var (ike, natt) = FreePorts();
        var path = PcapOracle.RepoPath("captures/synthetic/rules/plain.pcap");
        var expected = PcapOracle.IPv4PacketsOfEthernetPcap(path).Count;
        string[] common = ["--psk", "cli secret", "--esp", "aes128gcm16", "--port", ike.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--natt-port", natt.ToString(System.Globalization.CultureInfo.InvariantCulture), "--retransmit-timeout", "0.3",
            "--local-ts", "0.0.0.0/0", "--remote-ts", "0.0.0.0/0"];
        using var responderOutput = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var responder = PeerRunner.RunAsync(["respond", .. common, "--id", "gw.test", "--listen", "127.0.0.1", "--once"], responderOutput, TextWriter.Null, stop.Token);
        await Task.Delay(300);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PeerRunner.RunAsync(["initiate", .. common, "--id", "client.test", "--remote", "127.0.0.1", "--send-pcap", path], output, error, stop.Token);

        Assert.True(code == PeerRunner.ExitSuccess, $"{code}\n{output}\n{error}\n{responderOutput}");
        Assert.EndsWith($"\nsent {expected} packets from {path} (0 skipped)", output.ToString().TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(PeerRunner.ExitSuccess, await responder.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.EndsWith($"received {expected} inner packets through Child SAs", responderOutput.ToString().TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SendPcapMissingFile_UsageErrorExit1()
    {
        using var error = new StringWriter();

        var code = await PeerRunner.RunAsync(["initiate", "--remote", "127.0.0.1", "--psk", "s", "--id", "a.test", "--esp", "null-sha256",
            "--local-ts", "10.1.0.0/24", "--remote-ts", "10.2.0.0/24", "--send-pcap", "/nonexistent/none.pcap"], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(PeerRunner.ExitUsage, code);
        Assert.StartsWith("visibility-peer: --send-pcap: no such file '/nonexistent/none.pcap'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_NamesEspTransportAndRawScenarios()
    {
        using var output = new StringWriter();

        Assert.Equal(0, await PeerRunner.RunAsync(["--help"], output, TextWriter.Null, CancellationToken.None));

        Assert.Contains("[--esp-transport udp|raw]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("null-esp-raw", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("wesp-raw", output.ToString(), StringComparison.Ordinal);
    }

    [Interop.RequiresUnprivilegedRunFact]
    public async Task Run_EspTransportRawWithoutRoot_OneLineReasonExit2()
    {
        // As the user nobody: no CAP_NET_RAW, so the raw sockets cannot be opened before anything is sent.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var dll = Path.Combine(AppContext.BaseDirectory, "visibility-peer.dll");
        var result = await Interop.ChildProcess.RunAsync("runuser", ["-u", "nobody", "--", dotnet, dll, "initiate", "--remote", "127.0.0.1", "--psk", "s", "--id", "i.test",
            "--esp", "null-sha256", "--local-ts", "10.1.0.0/24", "--remote-ts", "10.2.0.0/24", "--send-ping", "1", "--esp-transport", "raw"], TimeSpan.FromSeconds(60));
        Assert.Equal(PeerRunner.ExitFailure, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("visibility-peer: --esp-transport raw needs root (CAP_NET_RAW)", line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
