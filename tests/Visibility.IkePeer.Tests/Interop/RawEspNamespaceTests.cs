using System.Globalization;

namespace Visibility.IkePeer.Tests.Interop;

/// <summary>Two visibility-peer processes in two network namespaces with <c>--esp-transport raw</c>: no NAT between them,
/// so IKE stays on UDP 500 and the pings travel as IP protocol 50 (141 with WESP), as tcpdump sees them on the link.</summary>
public sealed class RawEspNamespaceTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [RequiresRawEspLabTheory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [Trait("rfc", "7296-2.23")]
    public async Task InitiateRaw_NoNat_PingsAnsweredAsPlainIpProtocolNoUdp4500(bool ipv6, bool wesp)
    {
        using var lab = new RawEspLab();
        await lab.StartAsync();
        using var tcpdump = await lab.StartCaptureAsync();
        string[] common = ["--psk", "lab secret", "--esp", "null-sha256", "--esp-transport", "raw", .. wesp ? new[] { "--wesp" } : []];
        var responder = lab.StartPeer(lab.ResponderNamespace, ["respond", "--id", "responder.test", "--local-ts", "10.2.0.0/24", "--remote-ts", "10.1.0.0/24", "--once", .. common]);
        Assert.True(await responder.WaitForOutputAsync("listening on UDP 500 and 4500, IP protocols 50 and 141", s_timeout), $"{responder.Output}\n{responder.Error}");

        var initiator = lab.StartPeer(lab.InitiatorNamespace, ["initiate", "--remote", ipv6 ? RawEspLab.ResponderAddress6 : RawEspLab.ResponderAddress,
            "--id", "initiator.test", "--local-ts", "10.1.0.0/24", "--remote-ts", "10.2.0.0/24", "--send-ping", "3", .. common]);
        var initiated = await initiator.WaitAsync(s_timeout);
        var responded = await responder.WaitAsync(s_timeout);
        await Task.Delay(500);                                                               // the last packets reach tcpdump
        tcpdump.Signal("INT");
        await tcpdump.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(initiated.ExitCode == 0, $"{initiated}\n{responded}");
        Assert.Contains("3 transmitted, 3 received", initiated.Output, StringComparison.Ordinal);
        Assert.Contains(wesp ? "WESP, IP protocol 141" : "IP protocol 50", initiated.Output, StringComparison.Ordinal);
        Assert.True(responded.ExitCode == 0, responded.ToString());
        Assert.EndsWith("received 3 inner packets through Child SAs", responded.Output.TrimEnd(), StringComparison.Ordinal);

        // Each line: IPv4 protocol, IPv6 next header, UDP source port, UDP destination port.
        var packets = await lab.ReadCaptureAsync();
        var protocol = (wesp ? 141 : 50).ToString(CultureInfo.InvariantCulture);
        var esp = packets.Count(p => p.Split(',') is [var v4, var v6, "", ""] && (ipv6 ? v6 : v4) == protocol);
        Assert.True(esp == 6, string.Join('\n', packets));                                  // 3 requests, 3 replies
        Assert.DoesNotContain(packets, p => p.Split(',') is [_, _, var sport, var dport] && (sport == "4500" || dport == "4500"));
        var ike = packets.Where(p => p.Split(',')[2].Length > 0).ToList();
        Assert.True(ike.Count >= 6, string.Join('\n', packets));                             // IKE_SA_INIT, IKE_AUTH, INFORMATIONAL Delete: request and response each
        Assert.All(ike, p => Assert.EndsWith(",500,500", p, StringComparison.Ordinal));
        Assert.DoesNotContain(packets, p => p.Split(',') is [var v4, var v6, "", ""] && (v4 == (wesp ? "50" : "141") || v6 == (wesp ? "50" : "141")));
    }
}
