using System.Globalization;
using System.Net;
using System.Text;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Eap;
using Visibility.IkePeer.Export;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Cli;

/// <summary><c>visibility-peer scenario NAME --out DIR [--send-ping N]</c>: an initiator (127.0.0.1), a responder
/// (127.0.0.2) and, for the redirect scenarios, a second gateway (127.0.0.3) in one process run the scenario's exchanges:
/// setup, its extension (WESP, redirect, rekeys, a crash), N pings through the Child SA, a liveness check and a Delete.
/// The initiator's side of the conversation goes to <c>DIR/capture.pcap</c>, its keys to <c>DIR</c> (see <c>--keys</c>).</summary>
/// <remarks>Ports 500 and 4500 are used when they can be bound (root), other free ports otherwise; both gateways share
/// the first one's ports, as a redirect names an address only. The raw scenarios (plain IP protocol 50/141) need root
/// for their raw sockets.</remarks>
internal static class ScenarioRunner
{
    private static readonly IPAddress s_initiatorAddress = IPAddress.Loopback;
    private static readonly IPAddress s_responderAddress = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress s_secondGatewayAddress = IPAddress.Parse("127.0.0.3");

    public static string Usage => "usage: visibility-peer scenario NAME --out DIR [--send-ping N]\nscenarios:\n"
        + string.Join('\n', Scenario.All.Select(s => $"  {s.Name,-23} {s.Description}"));

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

        var scenario = Scenario.Find(name);
        if (scenario is null || directory is null)
        {
            return await UsageAsync(error, scenario is null ? $"unknown scenario '{name}'" : "--out is required").ConfigureAwait(false);
        }

        Directory.CreateDirectory(directory);
        var pki = scenario.Eap ? Directory.CreateTempSubdirectory("visibility-peer-pki-").FullName : null;
        try
        {
            return await RunScenarioAsync(scenario, directory, pki, pings, output, error, cancellationToken).ConfigureAwait(false);
        }
        catch (PeerException e)
        {
            await error.WriteLineAsync($"visibility-peer: scenario {scenario.Name}: {e.Message}").ConfigureAwait(false);
            return PeerRunner.ExitFailure;
        }
        finally
        {
            if (pki is not null)
            {
                Directory.Delete(pki, recursive: true);
            }
        }
    }

    private static async Task<int> RunScenarioAsync(Scenario scenario, string directory, string? pki, int pings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        EapTlsCredentials? clientCredentials = null;
        EapTlsCredentials? gatewayCredentials = null;
        if (pki is not null)
        {
            ScenarioPki.Write(pki, "responder.test", "initiator.test");
            clientCredentials = EapTlsCredentials.Load(Path.Combine(pki, "initiator.test.pem"), Path.Combine(pki, "initiator.test.key"), Path.Combine(pki, "ca.pem"));
            gatewayCredentials = EapTlsCredentials.Load(Path.Combine(pki, "responder.test.pem"), Path.Combine(pki, "responder.test.key"), Path.Combine(pki, "ca.pem"));
        }

        var capturePath = Path.Combine(directory, "capture.pcap");
        using var recorder = new PcapRecorder(capturePath);
        var responderOptions = Options(scenario, scenario.ResponderIke ?? scenario.Ike, "responder.test", "198.51.100.0/24", "192.0.2.0/24", s_responderAddress, 500, 4500, null, 0, null) with
        {
            Wesp = scenario.Wesp,
            EspTransport = scenario.RawEsp ? EspTransport.Raw : EspTransport.Udp,
            FragmentSize = scenario.FragmentSize,
            Qcd = scenario.Crash,
            SimulateCrash = scenario.Crash,
            EapTls = gatewayCredentials,
            RedirectTo = scenario.Redirect is null ? null : GatewayIdentity.FromAddress(s_secondGatewayAddress),
            RedirectPhase = scenario.Redirect ?? RedirectPhase.Init,
        };
        using var responder = new PeerEngine(responderOptions, TextWriter.Null, error, initiator: false, tap: (_, _, _) => { });
        using var secondGateway = scenario.Redirect is null ? null : new PeerEngine(
            Options(scenario, scenario.ResponderIke ?? scenario.Ike, "responder.test", "198.51.100.0/24", "192.0.2.0/24", s_secondGatewayAddress, responder.IkePort, responder.NatTraversalPort, null, 0, null),
            TextWriter.Null, error, initiator: false, tap: (_, _, _) => { });
        var initiatorOptions = Options(scenario, scenario.Ike, "initiator.test", "192.0.2.0/24", "198.51.100.0/24", s_initiatorAddress, 500, 4500,
            new IPEndPoint(s_responderAddress, responder.IkePort), responder.NatTraversalPort, directory) with
        {
            Wesp = scenario.Wesp,
            EspTransport = scenario.RawEsp ? EspTransport.Raw : EspTransport.Udp,
            FragmentSize = scenario.FragmentSize,
            EapTls = clientCredentials,
            EapOnly = clientCredentials is not null,
        };
        using var initiator = new PeerEngine(initiatorOptions, output, error, initiator: true, tap: recorder.Record)
        {
            IpTap = recorder.RecordIp,
        };
        foreach (var (address, engine) in new[] { (s_initiatorAddress, initiator), (s_responderAddress, responder), (s_secondGatewayAddress, secondGateway) })
        {
            if (engine is not null)
            {
                recorder.MapPort(address, engine.IkePort, 500);
                recorder.MapPort(address, engine.NatTraversalPort, 4500);
            }
        }

        var deletedAtFirstGateway = responder.WhenDeletedByPeer;
        var session = await initiator.InitiateAsync(cancellationToken).ConfigureAwait(false);
        if (scenario.Redirect == RedirectPhase.Informational)
        {
            // The gateway redirects the established SA; once the initiator is up at the second gateway it deletes the first SA.
            await deletedAtFirstGateway.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        }

        if (scenario.Crash)
        {
            return await DetectCrashAsync(initiator, session, scenario, recorder, capturePath, directory, output, error, cancellationToken).ConfigureAwait(false);
        }

        if (scenario.Rekey)
        {
            await initiator.RekeyChildAsync(session, cancellationToken).ConfigureAwait(false);
            await initiator.RekeyIkeAsync(session, cancellationToken).ConfigureAwait(false);
        }

        var received = pings > 0 ? await initiator.PingAsync(session, pings, cancellationToken).ConfigureAwait(false) : 0;
        if (pings > 0)
        {
            await output.WriteLineAsync($"{pings} transmitted, {received} received").ConfigureAwait(false);
        }

        await initiator.CheckLivenessAsync(session, cancellationToken).ConfigureAwait(false);
        await initiator.DeleteAsync(session, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"scenario {scenario.Name}: {recorder.Packets} packets in {capturePath}, keys in {directory}").ConfigureAwait(false);
        if (pings > 0 && received == 0)
        {
            await error.WriteLineAsync($"visibility-peer: scenario {scenario.Name}: no echo reply came back").ConfigureAwait(false);
            return PeerRunner.ExitFailure;
        }

        return PeerRunner.ExitSuccess;
    }

    /// <summary>qcd-crash: the responder forgot everything after setup; the initiator's Delete meets INVALID_IKE_SPI with
    /// the token, which ends the SA at once.</summary>
    private static async Task<int> DetectCrashAsync(PeerEngine initiator, IkeSession session, Scenario scenario, PcapRecorder recorder, string capturePath, string directory,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await initiator.DeleteAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch (PeerLostException e)
        {
            await output.WriteLineAsync($"crash detected: {e.Message}").ConfigureAwait(false);
            await output.WriteLineAsync($"scenario {scenario.Name}: {recorder.Packets} packets in {capturePath}, keys in {directory}").ConfigureAwait(false);
            return PeerRunner.ExitSuccess;
        }

        await error.WriteLineAsync($"visibility-peer: scenario {scenario.Name}: the crash went unnoticed").ConfigureAwait(false);
        return PeerRunner.ExitFailure;
    }

    private static async Task<int> UsageAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync($"visibility-peer: {message}").ConfigureAwait(false);
        await error.WriteLineAsync(Usage).ConfigureAwait(false);
        return PeerRunner.ExitUsage;
    }

    private static PeerOptions Options(Scenario scenario, string ike, string id, string localTs, string remoteTs, IPAddress listen, int ikePort, int nattPort,
        IPEndPoint? remote, int remoteNatt, string? keys) => new()
    {
        SharedSecret = Encoding.UTF8.GetBytes("scenario secret"),
        LocalId = PeerIdentity.Parse(id),
        IkeProposals = ProposalParser.Parse(ike, ProtocolId.Ike),
        EspProposals = ProposalParser.Parse(scenario.Esp, ProtocolId.Esp),
        LocalTs = TrafficSelector.ParseCidr(localTs),
        RemoteTs = TrafficSelector.ParseCidr(remoteTs),
        Remote = remote,
        Listen = listen,
        IkePort = ikePort,
        NatTraversalPort = nattPort,
        RemoteNatTraversalPort = remoteNatt,
        RequireCookie = scenario.RequireCookie,
        KeysDirectory = keys,
        RedirectDelay = TimeSpan.FromMilliseconds(300),
        PingInterval = TimeSpan.FromMilliseconds(200),
        PingWait = TimeSpan.FromSeconds(2),
    };
}
