using System.Globalization;
using System.Net;
using System.Text;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Export;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Cli;

/// <summary><c>visibility-peer scenario NAME --out DIR [--send-ping N]</c>: an initiator (127.0.0.1) and a responder
/// (127.0.0.2) in one process run IKE_SA_INIT, IKE_AUTH, N pings through the Child SA, a liveness check and a Delete;
/// the conversation goes to <c>DIR/capture.pcap</c> and the keys to <c>DIR</c> (see <c>--keys</c>).</summary>
/// <remarks>Ports 500 and 4500 are used when they can be bound (root), other free ports otherwise.</remarks>
internal static class ScenarioRunner
{
    public static string Usage => "usage: visibility-peer scenario NAME --out DIR [--send-ping N]\nscenarios:\n"
        + string.Join('\n', Scenario.All.Select(s => $"  {s.Name,-14} {s.Description}"));

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? name = null;
        string? directory = null;
        var pings = 3;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Count:
                    directory = args[++i];
                    break;
                case "--send-ping" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 1000:
                    pings = n;
                    i++;
                    break;
                default:
                    if (name is null && !args[i].StartsWith('-'))
                    {
                        name = args[i];
                        break;
                    }

                    return await UsageAsync(error, $"unexpected argument '{args[i]}'").ConfigureAwait(false);
            }
        }

        var scenario = Scenario.All.FirstOrDefault(s => s.Name == name);
        if (scenario is null || directory is null)
        {
            return await UsageAsync(error, scenario is null ? $"unknown scenario '{name}'" : "--out is required").ConfigureAwait(false);
        }

        Directory.CreateDirectory(directory);
        var capturePath = Path.Combine(directory, "capture.pcap");
        using var recorder = new PcapRecorder(capturePath);
        using var responder = new PeerEngine(Options(scenario, scenario.ResponderIke, "responder.test", "198.51.100.0/24", "192.0.2.0/24",
            IPAddress.Parse("127.0.0.2"), null, 0, null), TextWriter.Null, error, initiator: false, tap: (_, _, _) => { });
        using var initiator = new PeerEngine(Options(scenario, scenario.InitiatorIke, "initiator.test", "192.0.2.0/24", "198.51.100.0/24",
            IPAddress.Loopback, new IPEndPoint(IPAddress.Parse("127.0.0.2"), responder.IkePort), responder.NatTraversalPort, directory), output, error, initiator: true, tap: recorder.Record);
        try
        {
            var session = await initiator.InitiateAsync(cancellationToken).ConfigureAwait(false);
            var received = pings > 0 ? await initiator.PingAsync(session, pings, cancellationToken).ConfigureAwait(false) : 0;
            if (pings > 0)
            {
                await output.WriteLineAsync($"{pings} transmitted, {received} received").ConfigureAwait(false);
            }

            await initiator.CheckLivenessAsync(session, cancellationToken).ConfigureAwait(false);
            await initiator.DeleteAsync(session, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"scenario {scenario.Name}: {recorder.Packets} packets in {capturePath}, keys in {directory}").ConfigureAwait(false);
            return pings == 0 || received > 0 ? PeerRunner.ExitSuccess : PeerRunner.ExitFailure;
        }
        catch (PeerException e)
        {
            await error.WriteLineAsync($"visibility-peer: scenario {scenario.Name}: {e.Message}").ConfigureAwait(false);
            return PeerRunner.ExitFailure;
        }
    }

    private static async Task<int> UsageAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync($"visibility-peer: {message}").ConfigureAwait(false);
        await error.WriteLineAsync(Usage).ConfigureAwait(false);
        return PeerRunner.ExitUsage;
    }

    private static PeerOptions Options(Scenario scenario, string ike, string id, string localTs, string remoteTs, IPAddress listen, IPEndPoint? remote, int remoteNatt, string? keys) => new()
    {
        SharedSecret = Encoding.UTF8.GetBytes("scenario secret"),
        LocalId = PeerIdentity.Parse(id),
        IkeProposals = ProposalParser.Parse(ike, ProtocolId.Ike),
        EspProposals = ProposalParser.Parse(scenario.Esp, ProtocolId.Esp),
        LocalTs = TrafficSelector.ParseCidr(localTs),
        RemoteTs = TrafficSelector.ParseCidr(remoteTs),
        Remote = remote,
        Listen = listen,
        RemoteNatTraversalPort = remoteNatt,
        RequireCookie = scenario.RequireCookie,
        KeysDirectory = keys,
        PingInterval = TimeSpan.FromMilliseconds(200),
        PingWait = TimeSpan.FromSeconds(2),
    };
}
