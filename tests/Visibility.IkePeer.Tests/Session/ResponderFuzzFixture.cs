using System.Collections.Concurrent;
using System.Net;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>An established IKE SA with a WESP Child SA between two engines (the responder a QCD token maker), and every
/// datagram the responder received on the way: IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL, WESP, responses.</summary>
public sealed class ResponderFuzzFixture : IDisposable
{
    public ResponderFuzzFixture()
    {
        Pair = new LoopbackPair(initiatorOptions: o => o with { Wesp = true }, responderOptions: o => o with { Wesp = true, Qcd = true });
        var received = new ConcurrentQueue<Datagram>();
        Pair.Responder.Tap = (source, destination, payload) =>
        {
            var natTraversal = destination.Port == Pair.Responder.NatTraversalPort;
            if (destination.Port != Pair.Responder.IkePort && !natTraversal)
            {
                return;
            }

            var kind = UdpTransport.Classify(payload, natTraversal);
            var data = kind is DatagramKind.Ike or DatagramKind.Wesp && natTraversal ? payload[4..] : payload;
            received.Enqueue(new Datagram(kind, data, source, destination, natTraversal));
        };
        var timeout = LoopbackPair.Timeout;
        Session = Pair.Initiator.InitiateAsync(timeout).GetAwaiter().GetResult();
        Pair.Initiator.PingAsync(Session, 2, timeout).GetAwaiter().GetResult();
        Pair.Initiator.RekeyChildAsync(Session, timeout).GetAwaiter().GetResult();
        Pair.Initiator.PingAsync(Session, 1, timeout).GetAwaiter().GetResult();
        Pair.Initiator.CheckLivenessAsync(Session, timeout).GetAwaiter().GetResult();
        Pair.Responder.CheckLivenessAsync(Pair.Responder.Sessions.Single(), timeout).GetAwaiter().GetResult();
        Pair.Responder.Tap = null;
        Samples = [.. received];
    }

    internal LoopbackPair Pair { get; }

    internal IkeSession Session { get; }

    /// <summary>Datagrams the responder received, as its receive loop handed them over.</summary>
    internal IReadOnlyList<Datagram> Samples { get; }

    /// <summary>What an SA's handling may change: state, message IDs, the cached response, Child SAs and their counters.</summary>
    internal string Snapshot()
    {
        var parts = new List<string>();
        foreach (var session in Pair.Responder.Sessions.Where(s => s.State == IkeSaState.Established).OrderBy(s => s.InitiatorSpi))
        {
            parts.Add(FormattableString.Invariant($"{session.Name} {session.State} {session.NextRequestId} {session.ExpectedPeerRequestId} {session.LastResponseId} {session.Remote} {string.Join('|', (session.LastResponse ?? []).Select(Convert.ToHexString))} {session.QcdToken?.Length}"));
            parts.AddRange(session.Children.Select(c => FormattableString.Invariant($"  {c.Name} {c.Inbound.Packets} {c.Outbound.SequenceNumber} {c.ReplacedBy?.Name}")));
        }

        return string.Join('\n', parts);
    }

    public void Dispose() => Pair.Dispose();
}
