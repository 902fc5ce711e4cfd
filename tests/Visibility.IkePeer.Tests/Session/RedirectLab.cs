using System.Net;
using System.Text;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>Two gateways on the same ports, A at 127.0.0.1 (which redirects) and B at 127.0.0.3, and an initiator
/// that starts at A.</summary>
internal sealed class RedirectLab : IDisposable
{
    public static readonly IPAddress AddressA = IPAddress.Loopback;
    public static readonly IPAddress AddressB = IPAddress.Parse("127.0.0.3");

    public RedirectLab(RedirectPhase phase, string redirectTo = "127.0.0.3", string? redirectFromB = null, Func<PeerOptions, PeerOptions>? initiatorOptions = null)
    {
        GatewayA = new PeerEngine(Options("gw-a.test", "10.2.0.0/24", "10.1.0.0/24", AddressA, 0, 0, null) with
        {
            RedirectTo = GatewayIdentity.Parse(redirectTo),
            RedirectPhase = phase,
            RedirectDelay = TimeSpan.FromMilliseconds(100),
        }, OutputA, TextWriter.Null, initiator: false);
        var gatewayB = Options("gw-b.test", "10.2.0.0/24", "10.1.0.0/24", AddressB, GatewayA.IkePort, GatewayA.NatTraversalPort, null);
        GatewayB = new PeerEngine(redirectFromB is null ? gatewayB : gatewayB with { RedirectTo = GatewayIdentity.Parse(redirectFromB), RedirectPhase = phase },
            OutputB, TextWriter.Null, initiator: false);
        var initiator = Options("client.test", "10.1.0.0/24", "10.2.0.0/24", IPAddress.Loopback, 0, 0, new IPEndPoint(AddressA, GatewayA.IkePort)) with
        {
            RemoteNatTraversalPort = GatewayA.NatTraversalPort,
            Resolve = name => name == "gw-b.test" ? [AddressB] : throw new System.Net.Sockets.SocketException(11001),
        };
        Initiator = new PeerEngine(initiatorOptions is null ? initiator : initiatorOptions(initiator), InitiatorOutput, TextWriter.Null, initiator: true);
    }

    public PeerEngine GatewayA { get; }

    public PeerEngine GatewayB { get; }

    public PeerEngine Initiator { get; }

    public StringWriter OutputA { get; } = new();

    public StringWriter OutputB { get; } = new();

    public StringWriter InitiatorOutput { get; } = new();

    public void Dispose()
    {
        Initiator.Dispose();
        GatewayA.Dispose();
        GatewayB.Dispose();
    }

    private static PeerOptions Options(string id, string localTs, string remoteTs, IPAddress listen, int port, int nattPort, IPEndPoint? remote) => new()
    {
        SharedSecret = Encoding.UTF8.GetBytes("redirect secret"),
        LocalId = PeerIdentity.Parse(id),
        IkeProposals = ProposalParser.Parse("aes128-sha256-modp2048", ProtocolId.Ike),
        EspProposals = ProposalParser.Parse("null-sha256", ProtocolId.Esp),
        LocalTs = TrafficSelector.ParseCidr(localTs),
        RemoteTs = TrafficSelector.ParseCidr(remoteTs),
        Remote = remote,
        Listen = listen,
        IkePort = port,
        NatTraversalPort = nattPort,
        RetransmitTimeout = TimeSpan.FromMilliseconds(200),
        RetransmitTries = 3,
        PingInterval = TimeSpan.FromMilliseconds(20),
        PingWait = TimeSpan.FromSeconds(2),
    };
}
