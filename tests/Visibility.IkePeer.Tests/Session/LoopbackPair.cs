using System.Net;
using System.Text;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>An initiator and a responder engine talking over 127.0.0.1 on ephemeral ports.</summary>
internal sealed class LoopbackPair : IDisposable
{
    public LoopbackPair(
        string initiatorIke = "aes128-sha256-modp2048",
        string responderIke = "aes128-sha256-modp2048",
        string initiatorEsp = "null-sha256",
        string responderEsp = "null-sha256",
        string initiatorPsk = "loopback secret",
        string responderPsk = "loopback secret",
        bool requireCookie = false,
        string responderLocalTs = "10.2.0.0/24",
        string? initiatorKeys = null,
        string? responderKeys = null,
        Func<PeerOptions, PeerOptions>? initiatorOptions = null,
        Func<PeerOptions, PeerOptions>? responderOptions = null)
    {
        initiatorOptions ??= o => o;
        responderOptions ??= o => o;
        Responder = new PeerEngine(responderOptions(Options(responderPsk, "responder.test", responderIke, responderEsp, responderLocalTs, "10.1.0.0/24", null, 0, requireCookie, responderKeys)),
            ResponderOutput, TextWriter.Null, initiator: false);
        Initiator = new PeerEngine(initiatorOptions(Options(initiatorPsk, "initiator.test", initiatorIke, initiatorEsp, "10.1.0.0/24", "10.2.0.0/24",
            new IPEndPoint(IPAddress.Loopback, Responder.IkePort), Responder.NatTraversalPort, false, initiatorKeys)), InitiatorOutput, TextWriter.Null, initiator: true);
    }

    public PeerEngine Initiator { get; }

    public PeerEngine Responder { get; }

    public StringWriter InitiatorOutput { get; } = new();

    public StringWriter ResponderOutput { get; } = new();

    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    public void Dispose()
    {
        Initiator.Dispose();
        Responder.Dispose();
    }

    private static PeerOptions Options(string psk, string id, string ike, string esp, string localTs, string remoteTs, IPEndPoint? remote, int remoteNatt, bool requireCookie, string? keys) => new()
    {
        SharedSecret = Encoding.UTF8.GetBytes(psk),
        LocalId = PeerIdentity.Parse(id),
        IkeProposals = ProposalParser.Parse(ike, ProtocolId.Ike),
        EspProposals = ProposalParser.Parse(esp, ProtocolId.Esp),
        LocalTs = TrafficSelector.ParseCidr(localTs),
        RemoteTs = TrafficSelector.ParseCidr(remoteTs),
        Remote = remote,
        Listen = IPAddress.Loopback,
        IkePort = 0,
        NatTraversalPort = 0,
        RemoteNatTraversalPort = remoteNatt,
        RequireCookie = requireCookie,
        KeysDirectory = keys,
        RetransmitTimeout = TimeSpan.FromMilliseconds(200),
        RetransmitTries = 3,
        PingInterval = TimeSpan.FromMilliseconds(20),
        PingWait = TimeSpan.FromSeconds(2),
    };
}
