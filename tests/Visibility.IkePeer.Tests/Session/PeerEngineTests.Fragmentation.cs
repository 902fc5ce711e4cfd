using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>IKE fragmentation (RFC 7383) between two engines.</summary>
public sealed partial class PeerEngineTests
{
    /// <summary>The IKE message in a UDP payload seen by a tap (the non-ESP marker stripped on 4500), or null for ESP.</summary>
    private static byte[]? IkeOf(IPEndPoint source, IPEndPoint destination, byte[] payload, int nattPort)
    {
        var natTraversal = source.Port == nattPort || destination.Port == nattPort;
        if (natTraversal)
        {
            return payload.Length >= 32 && BinaryPrimitives.ReadUInt32BigEndian(payload) == 0 ? payload[4..] : null;
        }

        return payload.Length >= 28 ? payload : null;
    }

    private static bool IsSkf(byte[] ike) => ike[16] == 53;

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public async Task Fragmentation_EapTlsWithSmallFragmentSize_IkeAuthTravelsInSkfBothWays()
    {
        var (client, gateway, directory) = Pki();
        try
        {
            using var pair = new LoopbackPair(initiatorOptions: o => o with { EapTls = client, EapOnly = true, FragmentSize = 300 },
                responderOptions: o => o with { EapTls = gateway, FragmentSize = 300 });
            var sent = new ConcurrentQueue<byte[]>();
            var received = new ConcurrentQueue<byte[]>();
            pair.Initiator.Tap = (source, destination, payload) =>
            {
                if (IkeOf(source, destination, payload, pair.Initiator.NatTraversalPort) is { } ike)
                {
                    (source.Port == pair.Initiator.NatTraversalPort || source.Port == pair.Initiator.IkePort ? sent : received).Enqueue(ike);
                }
            };

            var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

            var responderSession = Assert.Single(pair.Responder.Sessions);
            Assert.True(session.Fragmentation);
            Assert.True(responderSession.Fragmentation);
            Assert.Equal(session.Msk, responderSession.Msk);
            Assert.Contains(sent, IsSkf);
            Assert.Contains(received, IsSkf);
            // 300-octet IPv4 datagrams: 20 IP + 8 UDP + 4 non-ESP marker leave 268 for the IKE message.
            Assert.All(sent.Where(IsSkf), ike => Assert.InRange(ike.Length, 1, 268));
            Assert.All(received.Where(IsSkf), ike => Assert.InRange(ike.Length, 1, 268));
            Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [Trait("rfc", "7383-2.3")]
    public async Task Fragmentation_ResponderDoesNotAnnounce_MessagesSentWhole()
    {
        using var pair = new LoopbackPair(initiatorOptions: o => o with { FragmentSize = 200 }, responderOptions: o => o with { Fragmentation = false, FragmentSize = 200 });
        var seen = new ConcurrentQueue<byte[]>();
        pair.Initiator.Tap = (source, destination, payload) =>
        {
            if (IkeOf(source, destination, payload, pair.Initiator.NatTraversalPort) is { } ike)
            {
                seen.Enqueue(ike);
            }
        };

        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        Assert.False(session.Fragmentation);
        Assert.DoesNotContain(seen, IsSkf);
        Assert.Contains(seen, ike => ike.Length > 200);
    }

    [Fact]
    [Trait("rfc", "7383-2.6.1")]
    public async Task Fragmentation_RetransmittedRequestFragments_OnlyFirstResendsEveryResponseFragment()
    {
        using var pair = new LoopbackPair(initiatorOptions: o => o with { FragmentSize = 220 }, responderOptions: o => o with { FragmentSize = 220 });
        var requestFragments = new ConcurrentQueue<Datagram>();
        var responses = new ConcurrentQueue<byte[]>();
        pair.Responder.Tap = (source, destination, payload) =>
        {
            var nattPort = pair.Responder.NatTraversalPort;
            if (IkeOf(source, destination, payload, nattPort) is not { } ike || !IsSkf(ike))
            {
                return;
            }

            if (destination.Port == nattPort)
            {
                requestFragments.Enqueue(new Datagram(DatagramKind.Ike, ike, source, destination, true));
            }
            else
            {
                responses.Enqueue(ike);
            }
        };

        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var auth = requestFragments.Where(d => BinaryPrimitives.ReadUInt32BigEndian(d.Data.AsSpan(20)) == 1).ToList();
        var answered = responses.Count;
        Assert.True(auth.Count > 1, $"IKE_AUTH request in {auth.Count} fragment(s)");
        Assert.True(answered > 1, $"IKE_AUTH response in {answered} fragment(s)");

        pair.Responder.Receive(auth[^1]);
        Assert.Equal(answered, responses.Count);

        pair.Responder.Receive(auth[0]);
        Assert.Equal(2 * answered, responses.Count);
        Assert.Equal(IkeSaState.Established, pair.Responder.Sessions.Single().State);
        Assert.True(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));
    }

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public async Task Fragmentation_FragmentWithBadIcv_DroppedAndMessageStillCompletes()
    {
        using var pair = new LoopbackPair(initiatorOptions: o => o with { FragmentSize = 220 }, responderOptions: o => o with { FragmentSize = 220 });
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var responderSession = pair.Responder.Sessions.Single();
        var nextId = responderSession.ExpectedPeerRequestId;

        // A forged fragment 1 of the next request: right header, wrong ICV; it must not start or change reassembly.
        var forged = IkeCodec.EncodeProtected(
            IkeMessage.Create(session.InitiatorSpi, session.ResponderSpi, Visibility.Wire.Ike.IkeExchangeType.Informational, nextId, false, true,
                new UnknownPayload(Visibility.Wire.Ike.IkePayloadType.VendorId, false, new byte[400])), session.Outbound, 192);
        forged[0][^1] ^= 1;
        var local = new IPEndPoint(IPAddress.Loopback, pair.Responder.NatTraversalPort);
        pair.Responder.Receive(new Datagram(DatagramKind.Ike, forged[0], session.Local, local, true));

        Assert.False(responderSession.RequestFragments.IsPending);
        Assert.True(await pair.Initiator.CheckLivenessAsync(session, LoopbackPair.Timeout));
        Assert.Equal(nextId + 1, responderSession.ExpectedPeerRequestId);
    }
}
