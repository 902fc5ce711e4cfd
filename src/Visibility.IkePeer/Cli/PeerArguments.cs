using System.Globalization;
using System.Net;
using System.Text;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Cli;

/// <summary>The parsed command line of <c>visibility-peer</c>.</summary>
/// <remarks>
/// <code>
/// visibility-peer initiate --remote ADDR --psk SECRET --id ID --esp PROPOSAL --local-ts CIDR --remote-ts CIDR
///                          [--send-ping N | --send-pcap FILE] [--remote-id ID] [--ike PROPOSAL] [--keys DIR] [--verbose]
/// visibility-peer respond  --psk SECRET --id ID --esp PROPOSAL --local-ts CIDR --remote-ts CIDR
///                          [--once] [--listen ADDR] [--remote-id ID] [--ike PROPOSAL] [--keys DIR] [--verbose]
/// </code>
/// Test options: <c>--port N</c>, <c>--natt-port N</c> (the responder's ports: bound by respond, reached by initiate),
/// <c>--require-cookie</c> (respond), <c>--retransmit-timeout SECONDS</c>. <c>--esp-transport udp|raw</c> (both):
/// Child SA packets always on UDP 4500 (default), or as plain IP protocol 50/141 through raw sockets when no NAT is
/// detected (needs root).
/// </remarks>
internal sealed class PeerArguments
{
    public const string Usage = """
        usage: visibility-peer initiate --remote ADDR --psk SECRET --id ID --esp PROPOSAL --local-ts CIDR --remote-ts CIDR
                                        [--send-ping N | --send-pcap FILE] [--remote-id ID] [--ike PROPOSAL] [--keys DIR]
                                        [--verbose] [--rekey child,ike] [--wesp] [--qcd] [--fragment-size N | --no-fragmentation]
                                        [--eap-tls --cert PEM --key PEM --ca PEM [--eap-identity ID] [--eap-only]]
                                        [--esp-transport udp|raw]
               visibility-peer respond  --psk SECRET --id ID --esp PROPOSAL --local-ts CIDR --remote-ts CIDR
                                        [--once] [--listen ADDR] [--remote-id ID] [--ike PROPOSAL] [--keys DIR] [--verbose]
                                        [--rekey child,ike] [--wesp] [--fragment-size N | --no-fragmentation]
                                        [--redirect-to GW [--redirect-in init|auth | --redirect-after-setup]]
                                        [--qcd] [--simulate-crash] [--eap-tls --cert PEM --key PEM --ca PEM]
                                        [--esp-transport udp|raw]
        --esp-transport raw: without a NAT, Child SA packets go as IP protocol 50 (141 with --wesp) through raw
        sockets and IKE stays on UDP 500 (needs root); with a NAT, or by default (udp), UDP 4500.
        """;

    /// <summary>Smallest <c>--fragment-size</c>: room for the IP, UDP, IKE and SKF headers, IV, ICV and some payload.</summary>
    public const int MinFragmentSize = 200;

    private PeerArguments(PeerCommand command, PeerOptions options, int? sendPing, string? sendPcap, bool once, IReadOnlyList<RekeyStep> rekeys)
    {
        Command = command;
        Options = options;
        SendPing = sendPing;
        SendPcap = sendPcap;
        Once = once;
        Rekeys = rekeys;
    }

    public PeerCommand Command { get; }

    public PeerOptions Options { get; }

    public int? SendPing { get; }

    /// <summary><c>--send-pcap FILE</c>: a capture file whose IP packets go through the Child SA once it is up.</summary>
    public string? SendPcap { get; }

    public bool Once { get; }

    /// <summary><c>--rekey child,ike</c>: CREATE_CHILD_SA rekeys this side requests, in order, once the SAs are up.</summary>
    public IReadOnlyList<RekeyStep> Rekeys { get; }

    public static PeerArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("missing command (initiate or respond)");
        }

        var command = args[0] switch
        {
            "initiate" => PeerCommand.Initiate,
            "respond" => PeerCommand.Respond,
            "scenario" => PeerCommand.Scenario,
            _ => throw new UsageException($"unknown command '{args[0]}'"),
        };
        if (command == PeerCommand.Scenario)
        {
            throw new UsageException("scenario has its own arguments (see ScenarioRunner)");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] valued = ["--remote", "--psk", "--id", "--esp", "--local-ts", "--remote-ts", "--send-ping", "--send-pcap", "--remote-id", "--ike", "--listen", "--keys", "--port", "--natt-port", "--retransmit-timeout", "--rekey", "--redirect-to", "--redirect-in", "--cert", "--key", "--ca", "--eap-identity", "--fragment-size", "--esp-transport"];
        string[] switches = ["--once", "--verbose", "-v", "--require-cookie", "--wesp", "--redirect-after-setup", "--qcd", "--simulate-crash", "--eap-tls", "--eap-only", "--no-fragmentation"];
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (valued.Contains(arg))
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{arg} needs a value");
                }

                if (!values.TryAdd(arg, args[++i]))
                {
                    throw new UsageException($"{arg} given twice");
                }
            }
            else if (switches.Contains(arg))
            {
                flags.Add(arg);
            }
            else
            {
                throw new UsageException($"unknown option '{arg}'");
            }
        }

        var initiate = command == PeerCommand.Initiate;
        string[] onlyInitiate = ["--remote", "--send-ping", "--send-pcap", "--eap-only", "--eap-identity"];
        string[] onlyRespond = ["--once", "--listen", "--require-cookie", "--redirect-to", "--redirect-in", "--redirect-after-setup", "--simulate-crash"];
        foreach (var option in initiate ? onlyRespond : onlyInitiate)
        {
            if (values.ContainsKey(option) || flags.Contains(option))
            {
                throw new UsageException($"{option} is not an option of {args[0]}");
            }
        }

        var port = PortOf(values, "--port", 500);
        var nattPort = PortOf(values, "--natt-port", 4500);
        IPEndPoint? remote = null;
        if (initiate)
        {
            remote = new IPEndPoint(AddressOf(Required(values, "--remote"), "--remote"), port);
        }

        IPAddress? listen = values.TryGetValue("--listen", out var listenText) ? AddressOf(listenText, "--listen") : null;
        int? sendPing = null;
        if (values.TryGetValue("--send-ping", out var pingText))
        {
            if (!int.TryParse(pingText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > 65535)
            {
                throw new UsageException($"--send-ping needs a count of 1..65535, not '{pingText}'");
            }

            sendPing = count;
        }

        var sendPcap = values.GetValueOrDefault("--send-pcap");
        if (sendPcap is not null)
        {
            if (sendPing is not null)
            {
                throw new UsageException("--send-ping and --send-pcap exclude each other");
            }

            if (!File.Exists(sendPcap))
            {
                throw new UsageException($"--send-pcap: no such file '{sendPcap}'");
            }
        }

        int? fragmentSize = null;
        if (values.TryGetValue("--fragment-size", out var fragmentText))
        {
            // An IP datagram size as strongSwan's fragment_size; below 200 octets little payload would be left per fragment.
            if (!int.TryParse(fragmentText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < MinFragmentSize || size > 65535)
            {
                throw new UsageException($"--fragment-size needs an IP datagram size of {MinFragmentSize}..65535 octets, not '{fragmentText}'");
            }

            fragmentSize = size;
        }

        if (fragmentSize is not null && flags.Contains("--no-fragmentation"))
        {
            throw new UsageException("--fragment-size and --no-fragmentation exclude each other");
        }

        var espTransport = values.GetValueOrDefault("--esp-transport", "udp") switch
        {
            "udp" => EspTransport.Udp,
            "raw" => EspTransport.Raw,
            var other => throw new UsageException($"--esp-transport takes udp or raw, not '{other}'"),
        };

        var retransmit = TimeSpan.FromSeconds(1);
        if (values.TryGetValue("--retransmit-timeout", out var retransmitText))
        {
            if (!double.TryParse(retransmitText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || seconds > 60)
            {
                throw new UsageException($"--retransmit-timeout needs seconds in (0, 60], not '{retransmitText}'");
            }

            retransmit = TimeSpan.FromSeconds(seconds);
        }

        var redirectPhase = RedirectPhase.Init;
        if (values.TryGetValue("--redirect-in", out var phaseText))
        {
            redirectPhase = phaseText switch
            {
                "init" => RedirectPhase.Init,
                "auth" => RedirectPhase.Auth,
                _ => throw new UsageException($"--redirect-in takes init or auth, not '{phaseText}'"),
            };
        }

        if (flags.Contains("--redirect-after-setup"))
        {
            if (values.ContainsKey("--redirect-in"))
            {
                throw new UsageException("--redirect-after-setup and --redirect-in exclude each other");
            }

            redirectPhase = RedirectPhase.Informational;
        }

        var redirectTo = values.GetValueOrDefault("--redirect-to");
        if (redirectTo is null && (values.ContainsKey("--redirect-in") || flags.Contains("--redirect-after-setup")))
        {
            throw new UsageException("--redirect-in and --redirect-after-setup need --redirect-to GW");
        }

        if (redirectTo is { Length: 0 or > 255 })
        {
            throw new UsageException("--redirect-to needs a gateway address or FQDN of 1..255 characters");
        }

        Eap.EapTlsCredentials? eapTls = null;
        if (flags.Contains("--eap-tls"))
        {
            try
            {
                eapTls = Eap.EapTlsCredentials.Load(Required(values, "--cert"), Required(values, "--key"), Required(values, "--ca"));
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException or InvalidCastException)
            {
                throw new UsageException($"--eap-tls: {e.Message}", e);
            }
        }
        else if (flags.Contains("--eap-only") || values.ContainsKey("--cert") || values.ContainsKey("--key") || values.ContainsKey("--ca") || values.ContainsKey("--eap-identity"))
        {
            throw new UsageException("--eap-only, --cert, --key, --ca and --eap-identity go with --eap-tls");
        }

        var options = new PeerOptions
        {
            SharedSecret = eapTls is not null && !values.ContainsKey("--psk") ? [] : Encoding.UTF8.GetBytes(Required(values, "--psk")),
            LocalId = PeerIdentity.Parse(Required(values, "--id")),
            RemoteId = values.TryGetValue("--remote-id", out var remoteId) ? PeerIdentity.Parse(remoteId) : null,
            IkeProposals = Proposals(values.GetValueOrDefault("--ike", PeerOptions.DefaultIkeProposal), ProtocolId.Ike, "--ike"),
            EspProposals = Proposals(Required(values, "--esp"), ProtocolId.Esp, "--esp"),
            LocalTs = Selector(Required(values, "--local-ts"), "--local-ts"),
            RemoteTs = Selector(Required(values, "--remote-ts"), "--remote-ts"),
            Remote = remote,
            Listen = listen,
            IkePort = initiate ? 500 : port,
            NatTraversalPort = initiate ? 4500 : nattPort,
            RemoteNatTraversalPort = nattPort,
            KeysDirectory = values.GetValueOrDefault("--keys"),
            RequireCookie = flags.Contains("--require-cookie"),
            RetransmitTimeout = retransmit,
            Wesp = flags.Contains("--wesp"),
            EspTransport = espTransport,
            RedirectTo = redirectTo is null ? null : GatewayIdentity.Parse(redirectTo),
            RedirectPhase = redirectPhase,
            Qcd = flags.Contains("--qcd") || flags.Contains("--simulate-crash"),
            EapTls = eapTls,
            EapIdentity = values.GetValueOrDefault("--eap-identity"),
            EapOnly = flags.Contains("--eap-only"),
            SimulateCrash = flags.Contains("--simulate-crash"),
            Fragmentation = !flags.Contains("--no-fragmentation"),
            FragmentSize = fragmentSize,
            Verbose = flags.Contains("--verbose") || flags.Contains("-v"),
        };
        if (options.LocalTs.StartAddress.Length != options.RemoteTs.StartAddress.Length)
        {
            throw new UsageException("--local-ts and --remote-ts must be of the same address family");
        }

        var rekeys = new List<RekeyStep>();
        if (values.TryGetValue("--rekey", out var rekeyText))
        {
            foreach (var step in rekeyText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                rekeys.Add(step switch
                {
                    "child" => RekeyStep.Child,
                    "ike" => RekeyStep.Ike,
                    _ => throw new UsageException($"--rekey takes child and ike (comma-separated), not '{step}'"),
                });
            }
        }

        return new PeerArguments(command, options, sendPing, sendPcap, flags.Contains("--once"), rekeys);
    }

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new UsageException($"{name} is required");

    private static IPAddress AddressOf(string text, string name) =>
        IPAddress.TryParse(text, out var address) ? address : throw new UsageException($"{name}: '{text}' is not an IP address");

    private static int PortOf(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new UsageException($"{name}: '{text}' is not a port");
    }

    private static IReadOnlyList<ProposalSpec> Proposals(string text, ProtocolId protocolId, string name)
    {
        try
        {
            return ProposalParser.Parse(text, protocolId);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{name}: {e.Message}", e);
        }
    }

    private static TrafficSelector Selector(string text, string name) =>
        TrafficSelector.TryParseCidr(text, out var selector) ? selector! : throw new UsageException($"{name}: '{text}' is not an address or CIDR");
}
