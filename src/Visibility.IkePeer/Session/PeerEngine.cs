using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Eap;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Export;
using Visibility.IkePeer.Messages;
using Visibility.Wire;
using Visibility.Wire.Esp;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Session;

/// <summary>An IKEv2 endpoint: runs IKE_SA_INIT, IKE_AUTH and INFORMATIONAL exchanges as initiator or responder over
/// one <see cref="UdpTransport"/>, and carries tunnel-mode ESP over UDP 4500 for its Child SAs, or as plain IP protocol
/// 50/141 through a <see cref="RawEspTransport"/> when asked to and no NAT is detected.</summary>
/// <remarks>
/// RFC 7296 §1.2 (initial exchanges), §2.1 (retransmission: only the requester retransmits; a retransmitted request is
/// answered with the cached response), §2.2 (Message IDs, window 1), §2.6 (COOKIE), §2.23 (NAT traversal, float to
/// 4500), §1.4.1 (Delete), §3.11. Received datagrams are handled one at a time under a lock; requests this side sends
/// are awaited with exponential back-off.
/// </remarks>
internal sealed partial class PeerEngine : IDisposable
{
    private const ushort PingIdentifier = 0x5650;

    private readonly PeerOptions _options;
    private readonly UdpTransport _transport;
    private readonly RawEspTransport? _raw;
    private readonly KeyExporter? _exporter;
    private readonly TextWriter _output;
    private readonly TextWriter _log;
    private readonly TextWriter _error;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, IkeSession> _sessions = [];
    private readonly Dictionary<uint, (IkeSession Session, ChildSa Child)> _children = [];
    private readonly Dictionary<(ulong Spi, uint MessageId), TaskCompletionSource<(IkeMessage Message, byte[] Raw)>> _pending = [];
    private readonly HashSet<ushort> _echoReplies = [];
    private long _innerPacketsReceived;
    private long _espUnknownSpi;
    private long _espMalformed;
    private long _espRejected;
    private readonly byte[] _cookieSecret = RandomNumberGenerator.GetBytes(32);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receive;
    private readonly Task _rawReceive = Task.CompletedTask;
    private bool _disposed;
    private TaskCompletionSource _deleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _receiveStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PeerEngine(PeerOptions options, TextWriter output, TextWriter log, bool initiator, Action<IPEndPoint, IPEndPoint, byte[]>? tap = null)
    {
        _options = options;
        _output = output;
        _log = options.Verbose ? log : TextWriter.Null;
        _error = log;
        if (options.EspTransport == EspTransport.Raw)
        {
            _raw = OpenRaw(options.Listen);
        }

        try
        {
            _transport = UdpTransport.Bind(options.Listen, options.IkePort, options.NatTraversalPort, fallbackToEphemeral: initiator || tap is not null);
        }
        catch
        {
            _raw?.Dispose();
            throw;
        }

        _transport.Tap = tap;
        _exporter = options.KeysDirectory is null ? null : new KeyExporter(options.KeysDirectory);
        _receive = _transport.RunAsync(OnDatagram, OnReceiveStopped, _stop.Token);
        if (_raw is not null)
        {
            _rawReceive = _raw.RunAsync(OnDatagram, OnReceiveStopped, _stop.Token);
        }
    }

    /// <summary>Raised (under the engine lock) when an IKE SA with its first Child SA is up.</summary>
    public event Action<IkeSession>? Established;

    /// <summary>Raised (under the engine lock) when an IKE SA was replaced by a rekey: old, new.</summary>
    public event Action<IkeSession, IkeSession>? Rekeyed;

    /// <summary>Sees every UDP payload sent or received: source, destination, payload (captures, tests).</summary>
    public Action<IPEndPoint, IPEndPoint, byte[]>? Tap
    {
        get => _transport.Tap;
        set => _transport.Tap = value;
    }

    /// <summary>Sees every plain ESP or WESP packet sent or received through raw sockets: source, destination, IP
    /// protocol (50 or 141), payload (captures, tests). Only with <see cref="EspTransport.Raw"/>.</summary>
    public Action<IPAddress, IPAddress, byte, byte[]>? IpTap
    {
        get => _raw?.Tap;
        set
        {
            if (_raw is not null)
            {
                _raw.Tap = value;
            }
        }
    }

    /// <summary>ESP and WESP packets dropped on receipt, by reason: for an SPI this peer does not own; malformed (not
    /// IP, a bad WESP header, too short for ESP); rejected by their Child SA (ICV, replay window, wrong encapsulation).</summary>
    public (long UnknownSpi, long Malformed, long Rejected) EspPacketsDropped
    {
        get
        {
            lock (_gate)
            {
                return (_espUnknownSpi, _espMalformed + (_raw?.Malformed ?? 0), _espRejected);
            }
        }
    }

    public int IkePort => _transport.IkePort;

    public int NatTraversalPort => _transport.NatTraversalPort;

    /// <summary>Echo replies counted since the last <see cref="PingAsync"/> started; for tests.</summary>
    public int EchoRepliesReceived
    {
        get
        {
            lock (_gate)
            {
                return _echoReplies.Count;
            }
        }
    }

    /// <summary>IPv4 and IPv6 packets that came out of a Child SA (verified and decapsulated), echo traffic included.</summary>
    public long InnerPacketsReceived
    {
        get
        {
            lock (_gate)
            {
                return _innerPacketsReceived;
            }
        }
    }

    /// <summary>Sees every inner IP packet a Child SA delivers, as decapsulated (called under the engine lock; tests).</summary>
    public Action<byte[]>? InnerPacketTap { get; set; }

    public IReadOnlyList<IkeSession> Sessions
    {
        get
        {
            lock (_gate)
            {
                return [.. _sessions.Values];
            }
        }
    }

    /// <summary>Completes when the other side deletes an established IKE SA (INFORMATIONAL with D(IKE)).</summary>
    public Task WhenDeletedByPeer
    {
        get
        {
            lock (_gate)
            {
                return _deleted.Task;
            }
        }
    }

    /// <summary>Completes with the reason when one of the sockets can no longer receive (already written to the error
    /// output): the endpoint would wait for answers it cannot read.</summary>
    public Task<string> WhenReceiveStopped => _receiveStopped.Task;

    /// <summary>Completes with the reason when an IKE SA this side answered fails to authenticate.</summary>
    public Task<string> WhenFailed
    {
        get
        {
            lock (_gate)
            {
                return _failed.Task;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _transport.Dispose();
        _raw?.Dispose();
        try
        {
            Task.WaitAll([_receive, _rawReceive], TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The receive loops end with the sockets; their exceptions carry nothing more.
        }

        _stop.Dispose();
    }

    /// <summary>Runs IKE_SA_INIT and IKE_AUTH with <see cref="PeerOptions.Remote"/>, following redirects (RFC 5685);
    /// returns the established IKE SA with its Child SA, or throws <see cref="PeerException"/>.</summary>
    public Task<IkeSession> InitiateAsync(CancellationToken cancellationToken) =>
        ConnectFollowingRedirectsAsync(_options.Remote ?? throw new PeerException("no remote address"), null, cancellationToken);

    /// <summary>One IKE_SA_INIT and IKE_AUTH with <paramref name="remote"/>: the IKE SA, or the gateway it redirected us to.</summary>
    private async Task<(IkeSession? Session, GatewayIdentity? Redirect)> ConnectAsync(IPEndPoint remote, GatewayIdentity? redirectedFrom, CancellationToken cancellationToken)
    {
        var spiI = RandomSpi64();
        var session = new IkeSession(true, spiI, remote, new IPEndPoint(LocalAddressFor(remote.Address), _transport.IkePort));
        lock (_gate)
        {
            _sessions[spiI] = session;
        }

        var nonceI = RandomNumberGenerator.GetBytes(32);
        session.NonceI = nonceI;
        var group = _options.IkeProposals[0].DhGroups[0];
        byte[]? cookie = null;
        IkeMessage response;
        KeyExchange keyExchange;
        for (var attempt = 0; ; attempt++)
        {
            if (attempt >= 4)
            {
                throw new PeerException("IKE_SA_INIT: too many COOKIE/INVALID_KE_PAYLOAD rounds");
            }

            keyExchange = KeyExchange.Create(group);
            var request = IkeMessage.Create(spiI, 0, IkeExchangeType.IkeSaInit, 0, response: false, fromInitiator: true);
            if (cookie is not null)
            {
                request.Payloads.Add(new NotifyPayload(IkeNotifyType.Cookie, cookie));
            }

            var proposals = _options.IkeProposals.Select((spec, i) => spec.ToProposal((byte)(i + 1), [])).ToList();
            request.Payloads.Add(new SecurityAssociationPayload(proposals));
            request.Payloads.Add(new KeyExchangePayload(group, keyExchange.PublicKey));
            request.Payloads.Add(new NoncePayload(nonceI));
            request.Payloads.Add(new NotifyPayload(IkeNotifyType.NatDetectionSourceIp, SourceHash(spiI, 0, session.Local)));
            request.Payloads.Add(new NotifyPayload(IkeNotifyType.NatDetectionDestinationIp, NatDetection.Hash(spiI, 0, remote)));
            // RFC 5685 §3, §4: announce redirect support; after a redirect, name the gateway that sent it instead.
            request.Payloads.Add(redirectedFrom is null
                ? new NotifyPayload(IkeNotifyType.RedirectSupported)
                : new NotifyPayload(IkeNotifyType.RedirectedFrom, redirectedFrom.Encode()));
            if (_options.Fragmentation)
            {
                // RFC 7383 §2.3: we can send and take SKF fragments.
                request.Payloads.Add(new NotifyPayload(IkeNotifyType.Ikev2FragmentationSupported));
            }
            var encoded = IkeCodec.Encode(request);
            session.InitRequest = encoded;
            Log($"{session.Name}: sending {request} to {remote}");
            (response, var raw) = await SendRequestAsync(session, [encoded], 0, cancellationToken).ConfigureAwait(false);
            Log($"{session.Name}: received {response}");

            if (response.GetNotify(IkeNotifyType.Cookie) is { } cookieNotify)
            {
                cookie = cookieNotify.Data;
                continue;
            }

            if (response.GetNotify(IkeNotifyType.Redirect) is { } redirect && GatewayIdentity.From(redirect.Data, out _) is { } gateway)
            {
                // Its nonce was checked on receipt (RFC 5685 §3); no IKE SA exists at either end.
                lock (_gate)
                {
                    session.RedirectedTo = gateway;
                    Remove(session);
                }

                _output.WriteLine($"IKE_SA_INIT with {remote.Address} redirected to {gateway}");
                _output.Flush();
                return (null, gateway);
            }

            if (response.GetNotify(IkeNotifyType.InvalidKePayload) is { Data.Length: >= 2 } invalidKe)
            {
                var wanted = (DhGroup)BinaryPrimitives.ReadUInt16BigEndian(invalidKe.Data);
                if (wanted == group || !KeyExchange.IsSupported(wanted) || !_options.IkeProposals.Any(p => p.DhGroups.Contains(wanted)))
                {
                    throw new PeerException($"IKE_SA_INIT: responder asks for key exchange method {IkeNames.GetName(wanted)}, which was not offered");
                }

                Log($"{session.Name}: INVALID_KE_PAYLOAD, retrying with group {wanted}");
                group = wanted;
                continue;
            }

            if (response.Notifies.FirstOrDefault(n => n.IsError) is { } error)
            {
                throw new PeerException($"IKE_SA_INIT failed: {NotifyName(error.NotifyType)}");
            }

            session.InitResponse = raw;
            break;
        }

        var chosen = response.Get<SecurityAssociationPayload>()?.Proposals is [var single] ? ProposalSpec.FromChosen(single) : null;
        var ker = response.Get<KeyExchangePayload>();
        var nonceR = response.Get<NoncePayload>()?.Data;
        if (chosen is null || ker is null || nonceR is null || chosen.DhGroup != group || ker.Group != group)
        {
            throw new PeerException("IKE_SA_INIT response lacks a usable SA, KE or Nonce payload");
        }

        byte[] sharedSecret;
        try
        {
            sharedSecret = keyExchange.ComputeSharedSecret(ker.Data);
        }
        catch (CryptographicException e)
        {
            throw new PeerException($"IKE_SA_INIT: invalid key exchange data: {e.Message}", e);
        }

        lock (_gate)
        {
            session.ResponderSpi = response.ResponderSpi;
            session.NonceR = nonceR;
            session.Suite = chosen;
            session.Keys = IkeSaKeys.Derive(chosen.Prf!, chosen.Integrity, chosen.Encryption, sharedSecret, nonceI, nonceR, spiI, session.ResponderSpi);
            session.NextRequestId = 1;
            session.ExpectedPeerRequestId = 0;
            session.Fragmentation = _options.Fragmentation && response.GetNotify(IkeNotifyType.Ikev2FragmentationSupported) is not null;
            var natDetected = NatDetected(response, session.InitiatorSpi, session.ResponderSpi, session.Remote, session.Local);
            if (_raw is not null && !natDetected)
            {
                // RFC 7296 §2.23: without a NAT, IKE stays on port 500 and ESP is not UDP-encapsulated.
                session.PlainEsp = true;
                Log($"{session.Name}: keys derived ({chosen}); NAT not detected, IKE stays on {session.Remote}, ESP as IP protocol {(_options.Wesp ? "50 or 141" : "50")}");
            }
            else
            {
                // RFC 7296 §2.23: an initiator may use port 4500 for IKE and ESP whether or not a NAT is there; the peer
                // does unless --esp-transport raw found no NAT, since its ESP is then UDP-encapsulated.
                session.NatTraversal = true;
                session.Remote = new IPEndPoint(remote.Address, _options.RemoteNatTraversalPort);
                session.Local = new IPEndPoint(session.Local.Address, _transport.NatTraversalPort);
                Log($"{session.Name}: keys derived ({chosen}); NAT {(natDetected ? "detected" : "not detected")}, floating to {session.Remote}");
                if (_raw is not null)
                {
                    _output.WriteLine($"NAT detected between {session.Local.Address} and {remote.Address}: ESP goes UDP-encapsulated on port {_options.RemoteNatTraversalPort} instead of IP protocol 50");
                    _output.Flush();
                }
            }

            session.RedirectedFrom = redirectedFrom;
            _exporter?.WriteIkeSa(session);
        }

        return await AuthenticateAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends N echo requests through the first Child SA, one per <see cref="PeerOptions.PingInterval"/>;
    /// returns how many distinct replies came back.</summary>
    public async Task<int> PingAsync(IkeSession session, int count, CancellationToken cancellationToken)
    {
        ChildSa child;
        lock (_gate)
        {
            child = session.Current.ActiveChild ?? throw new PeerException("no Child SA to ping through");
            _echoReplies.Clear();
        }

        var source = HostAddress(child.LocalTs);
        var destination = HostAddress(child.RemoteTs);
        var data = new byte[56];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)i;
        }

        for (var sequence = 1; sequence <= count; sequence++)
        {
            var echo = new IcmpEcho(source, destination, true, PingIdentifier, (ushort)sequence, data);
            lock (_gate)
            {
                // A rekey while pinging moves traffic to the new Child SA (and a rekeyed IKE SA to its successor).
                var current = session.Current;
                child = current.ActiveChild ?? child;
                SendThroughChild(current, child, echo.ToPacket(), echo.TunnelNextHeader);
            }

            Log($"{session.Name}: echo request {sequence} {source} -> {destination}");
            if (sequence < count)
            {
                await Task.Delay(_options.PingInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        var deadline = DateTime.UtcNow + _options.PingWait;
        while (DateTime.UtcNow < deadline && EchoRepliesReceived < count)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return EchoRepliesReceived;
    }

    /// <summary>Sends one IPv4 or IPv6 packet, as it is, through the active Child SA of <paramref name="session"/> (tunnel
    /// mode, Next Header 4 or 41); false, sending nothing, when its addresses fall outside the Child SA's traffic
    /// selectors (source in TSi of this side, destination in the other's, RFC 7296 §2.9) or its protocol is not the
    /// selectors' one.</summary>
    public bool SendInnerPacket(IkeSession session, byte[] packet, IPAddress source, IPAddress destination, byte protocol)
    {
        lock (_gate)
        {
            var current = session.Current;
            var child = current.ActiveChild ?? throw new PeerException("no Child SA to send through");
            if (!child.LocalTs.Contains(source) || !child.RemoteTs.Contains(destination)
                || (child.LocalTs.IpProtocol != 0 && child.LocalTs.IpProtocol != protocol)
                || (child.RemoteTs.IpProtocol != 0 && child.RemoteTs.IpProtocol != protocol))
            {
                return false;
            }

            var nextHeader = source.AddressFamily == AddressFamily.InterNetworkV6 ? IcmpEcho.NextHeaderIPv6 : IcmpEcho.NextHeaderIPv4;
            SendThroughChild(current, child, packet, nextHeader);
            return true;
        }
    }

    /// <summary>Deletes the IKE SA (and with it its Child SAs) with an INFORMATIONAL exchange [RFC 7296 §1.4.1].</summary>
    public async Task DeleteAsync(IkeSession session, CancellationToken cancellationToken)
    {
        byte[] encoded;
        uint messageId;
        lock (_gate)
        {
            session = session.Current;
            if (session.State is IkeSaState.Deleted or IkeSaState.Failed)
            {
                return;
            }

            session.State = IkeSaState.Deleting;
            messageId = session.NextRequestId++;
            var request = IkeMessage.Create(session.InitiatorSpi, session.ResponderSpi, IkeExchangeType.Informational, messageId, false, session.IsInitiator,
                new DeletePayload(ProtocolId.Ike, []));
            encoded = IkeCodec.EncodeProtected(request, session.Outbound);
            Log($"{session.Name}: sending {request}");
        }

        try
        {
            await SendRequestAsync(session, [encoded], messageId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                Remove(session);
            }
        }
    }

    /// <summary>Sends an empty INFORMATIONAL request (liveness check, RFC 7296 §1.4); true when answered.</summary>
    public async Task<bool> CheckLivenessAsync(IkeSession session, CancellationToken cancellationToken)
    {
        byte[] encoded;
        uint messageId;
        lock (_gate)
        {
            session = session.Current;
            messageId = session.NextRequestId++;
            var request = IkeMessage.Create(session.InitiatorSpi, session.ResponderSpi, IkeExchangeType.Informational, messageId, false, session.IsInitiator);
            encoded = IkeCodec.EncodeProtected(request, session.Outbound);
        }

        try
        {
            await SendRequestAsync(session, [encoded], messageId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PeerException)
        {
            return false;
        }
    }

    private static ulong RandomSpi64()
    {
        ulong spi;
        do
        {
            spi = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8));
        }
        while (spi == 0);
        return spi;
    }

    private static IPAddress LocalAddressFor(IPAddress remote)
    {
        using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(new IPEndPoint(remote, 9));
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    /// <summary>The address pinged for a selector: the address written if it is a host of the range, else the first host.</summary>
    private static IPAddress HostAddress(TrafficSelector ts)
    {
        var start = ts.StartAddress;
        if (start.AsSpan().SequenceEqual(ts.EndAddress))
        {
            return new IPAddress(start);
        }

        var host = (byte[])start.Clone();
        for (var i = host.Length - 1; i >= 0; i--)
        {
            if (++host[i] != 0)
            {
                break;
            }
        }

        return new IPAddress(host);
    }

    private static string NotifyName(IkeNotifyType type) => IkeNames.GetName(type);

    /// <summary>RFC 7296 §2.23: a NAT sits between us when the other side's NAT_DETECTION_SOURCE_IP hashes all differ from
    /// the hash of where the message came from (<paramref name="remote"/>), or its NAT_DETECTION_DESTINATION_IP differs
    /// from the hash of where it arrived (<paramref name="local"/>). No notifications at all: no NAT traversal.</summary>
    private static bool NatDetected(IkeMessage message, ulong spiI, ulong spiR, IPEndPoint remote, IPEndPoint local)
    {
        var sources = message.Notifies.Where(n => n.NotifyType == IkeNotifyType.NatDetectionSourceIp).ToList();
        var destination = message.GetNotify(IkeNotifyType.NatDetectionDestinationIp);
        var sourceMatches = sources.Any(n => n.Data.AsSpan().SequenceEqual(NatDetection.Hash(spiI, spiR, remote)));
        var destinationMatches = destination is not null && destination.Data.AsSpan().SequenceEqual(NatDetection.Hash(spiI, spiR, local));
        return sources.Count > 0 && (!sourceMatches || !destinationMatches);
    }

    /// <summary>Our NAT_DETECTION_SOURCE_IP data: the true hash of <paramref name="local"/> when plain ESP is possible
    /// (<see cref="EspTransport.Raw"/>), else one that matches nothing, so the other side floats to 4500 with us.</summary>
    private byte[] SourceHash(ulong spiI, ulong spiR, IPEndPoint local) =>
        _raw is not null ? NatDetection.Hash(spiI, spiR, local) : NatDetection.FakeSourceHash();

    private static RawEspTransport OpenRaw(IPAddress? listen)
    {
        try
        {
            return RawEspTransport.Open(listen);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new PeerException("--esp-transport raw needs root (CAP_NET_RAW) for raw IP sockets of protocols 50 and 141: " + e.Message, e);
        }
        catch (Exception e) when (e is SocketException or PlatformNotSupportedException)
        {
            throw new PeerException("--esp-transport raw: cannot open raw IP sockets of protocols 50 and 141: " + e.Message, e);
        }
    }

    /// <summary>IKE_AUTH as initiator: with the PSK in one round, or with EAP (<see cref="PeerOptions.EapTls"/>) in as many
    /// rounds as the method needs [RFC 7296 §1.2, §2.16; RFC 5998].</summary>
    private async Task<(IkeSession? Session, GatewayIdentity? Redirect)> AuthenticateAsync(IkeSession session, CancellationToken cancellationToken)
    {
        uint inboundSpi;
        IdentificationPayload idi;
        var eap = _options.EapTls is { } credentials ? new EapTlsPeer(_options.EapIdentity ?? _options.LocalId.ToString(), credentials) : null;
        var payloads = new List<Payload>();
        lock (_gate)
        {
            var suite = session.Suite!;
            idi = new IdentificationPayload(true, _options.LocalId);
            inboundSpi = AllocateChildSpi();
            payloads.Add(idi);
            if (_options.RemoteId is not null)
            {
                payloads.Add(new IdentificationPayload(false, _options.RemoteId));
            }

            if (eap is null)
            {
                var auth = PskAuthentication.Compute(suite.Prf!, _options.SharedSecret, session.InitRequest, session.NonceR, session.Keys!.SkPi, idi.GetBody());
                payloads.Add(new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, auth));
            }
            else if (_options.EapOnly)
            {
                // RFC 5998 §3: we accept a responder that authenticates by the EAP method alone, without its own AUTH first.
                payloads.Add(new NotifyPayload(IkeNotifyType.EapOnlyAuthentication));
            }

            if (_options.Qcd)
            {
                payloads.Add(QcdNotify(session.InitiatorSpi, session.ResponderSpi));
            }

            payloads.Add(new SecurityAssociationPayload(
                [.. _options.EspProposals.Select((spec, i) => spec.ToProposal((byte)(i + 1), Spi32(inboundSpi), withDh: false))]));
            payloads.Add(new TrafficSelectorPayload(true, [_options.LocalTs]));
            payloads.Add(new TrafficSelectorPayload(false, [_options.RemoteTs]));
            if (_options.Wesp)
            {
                // RFC 5840 §2.3: ask for WESP for this Child SA; the responder agrees by echoing the notify.
                payloads.Add(new NotifyPayload(IkeNotifyType.UseWespMode));
            }
        }

        IkeMessage response;
        IdentificationPayload? idr = null;
        var secret = _options.SharedSecret;
        for (var round = 0; ; round++)
        {
            if (round > 50)
            {
                Fail(session);
                throw new PeerException("IKE_AUTH: too many EAP rounds");
            }

            IReadOnlyList<byte[]> encoded;
            uint messageId;
            lock (_gate)
            {
                (encoded, messageId) = EncodeRequest(session, IkeExchangeType.IkeAuth, payloads);
            }

            (response, _) = await SendRequestAsync(session, encoded, messageId, cancellationToken).ConfigureAwait(false);
            Log($"{session.Name}: received {response}");
            lock (_gate)
            {
                if (response.GetNotify(IkeNotifyType.AuthenticationFailed) is not null)
                {
                    Fail(session);
                    throw new PeerException("IKE_AUTH: the responder sent AUTHENTICATION_FAILED");
                }

                idr ??= response.GetIdentification(false);
                if (idr is null)
                {
                    Fail(session);
                    var error = response.Notifies.FirstOrDefault(n => n.IsError);
                    throw new PeerException(error is null ? "IKE_AUTH response lacks IDr" : $"IKE_AUTH failed: {NotifyName(error.NotifyType)}");
                }

                if (_options.RemoteId is not null && !_options.RemoteId.Matches(idr.Identity))
                {
                    Fail(session);
                    throw new PeerException($"IKE_AUTH: responder identity {idr.Identity} is not {_options.RemoteId}");
                }

                if (eap is null || response.Get<AuthenticationPayload>() is not null && eap.Succeeded)
                {
                    break;
                }

                if (response.Get<AuthenticationPayload>() is not null)
                {
                    // A responder that is not EAP-only signs its first response with its certificate (RFC 7296 §2.16).
                    Fail(session);
                    throw new PeerException("IKE_AUTH: the responder authenticated with a certificate signature; this peer verifies EAP-only responders only");
                }

                if (response.Get<EapPayload>() is not { } request)
                {
                    Fail(session);
                    throw new PeerException("IKE_AUTH: the responder sent neither EAP nor AUTH");
                }

                if (round == 0)
                {
                    session.EapOnly = true;
                    _output.WriteLine($"IKE SA {session.Name}: EAP-only authentication (RFC 5998), {idr.Identity} sent EAP without AUTH");
                }

                byte[]? answer;
                try
                {
                    answer = eap.Respond(request.Packet);
                }
                catch (EapException e)
                {
                    Fail(session);
                    throw new PeerException($"IKE_AUTH: EAP-TLS: {e.Message}", e);
                }

                if (answer is not null)
                {
                    payloads = [new EapPayload(answer)];
                    continue;
                }

                // EAP-Success: both sides now prove the IKE_SA_INIT messages with the MSK as shared secret (RFC 7296 §2.16).
                secret = eap.Msk;
                session.Msk = eap.Msk;
                var auth = PskAuthentication.Compute(session.Suite!.Prf!, secret, session.InitRequest, session.NonceR, session.Keys!.SkPi, idi.GetBody());
                payloads = [new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, auth)];
                _output.WriteLine($"IKE SA {session.Name}: EAP-TLS succeeded, MSK {eap.Msk.Length} octets");
            }
        }

        lock (_gate)
        {
            var suite = session.Suite!;
            var peerAuth = response.Get<AuthenticationPayload>();
            var expected = PskAuthentication.Compute(suite.Prf!, secret, session.InitResponse, session.NonceI, session.Keys!.SkPr, idr.GetBody());
            if (peerAuth is null || peerAuth.Method != AuthMethod.SharedKeyMessageIntegrityCode || !CryptographicOperations.FixedTimeEquals(expected, peerAuth.Data))
            {
                Fail(session);
                throw new PeerException(peerAuth is null
                    ? "IKE_AUTH response lacks AUTH"
                    : eap is null ? "IKE_AUTH: the responder's AUTH payload does not verify (wrong PSK?)" : "IKE_AUTH: the responder's AUTH does not verify with the EAP MSK");
            }

            session.RemoteIdentity = idr.Identity;
            TakeQcdToken(session, response);
            session.State = IkeSaState.Established;
            _output.WriteLine($"IKE SA {session.Name} established with {session.Remote.Address} ({suite}), remote identity {idr.Identity}");
            if (response.GetNotify(IkeNotifyType.Redirect) is { } redirect && GatewayIdentity.From(redirect.Data, out _) is { } gateway)
            {
                // RFC 5685 §6: acted on only now that the gateway's AUTH verified; this SA is deleted, not used.
                session.RedirectedTo = gateway;
                _output.WriteLine($"IKE SA {session.Name} redirected to {gateway} in IKE_AUTH");
                _output.Flush();
            }
        }

        if (session.RedirectedTo is { } redirectTo)
        {
            await DeleteSessionAsync(session, cancellationToken).ConfigureAwait(false);
            return (null, redirectTo);
        }

        lock (_gate)
        {
            var suite = session.Suite!;
            var childError = response.Notifies.FirstOrDefault(n => n.IsError);
            var sa = response.Get<SecurityAssociationPayload>();
            var tsi = response.GetTrafficSelectors(true);
            var tsr = response.GetTrafficSelectors(false);
            if (childError is not null || sa is not { Proposals: [var chosen] } || tsi is not { Selectors.Count: > 0 } || tsr is not { Selectors.Count: > 0 })
            {
                throw new PeerException(childError is null ? "IKE_AUTH response has no Child SA" : $"Child SA failed: {NotifyName(childError.NotifyType)}");
            }

            var childSuite = ProposalSpec.FromChosen(chosen);
            if (childSuite is null || chosen.Spi.Length != 4)
            {
                throw new PeerException("Child SA: the responder chose a proposal the peer cannot use");
            }

            var outboundSpi = BinaryPrimitives.ReadUInt32BigEndian(chosen.Spi);
            var (ir, ri) = ChildKeyMaterial.Derive(suite.Prf!, session.Keys!.SkD, session.NonceI, session.NonceR, childSuite.Encryption, childSuite.Integrity);
            var wesp = _options.Wesp && response.GetNotify(IkeNotifyType.UseWespMode) is not null;
            var child = new ChildSa(childSuite, new EspSa(inboundSpi, childSuite, ri), new EspSa(outboundSpi, childSuite, ir), tsi.Selectors[0], tsr.Selectors[0], wesp);
            AddChild(session, child);
            Established?.Invoke(session);
        }

        return (session, null);
    }

    private uint AllocateChildSpi()
    {
        uint spi;
        do
        {
            spi = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));
        }
        while (spi <= 255 || _children.ContainsKey(spi));
        return spi;
    }

    private void AddChild(IkeSession session, ChildSa child)
    {
        session.Children.Add(child);
        _children[child.Inbound.Spi] = (session, child);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CHILD SA established: SPIs 0x{child.Inbound.Spi:x8}_i 0x{child.Outbound.Spi:x8}_o ({child.Suite}{(child.Wesp ? ", WESP" : string.Empty)}{(session.PlainEsp ? (child.Wesp ? ", IP protocol 141" : ", IP protocol 50") : string.Empty)}), {child.LocalTs} === {child.RemoteTs}"));
        _output.Flush();
        _exporter?.WriteChildSa(session, child);
    }

    private async Task<(IkeMessage Message, byte[] Raw)> SendRequestAsync(IkeSession session, IReadOnlyList<byte[]> encoded, uint messageId, CancellationToken cancellationToken)
    {
        var key = (session.InitiatorSpi, messageId);
        var completion = new TaskCompletionSource<(IkeMessage, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending[key] = completion;
        }

        try
        {
            var timeout = _options.RetransmitTimeout;
            for (var attempt = 0; attempt <= _options.RetransmitTries; attempt++)
            {
                IPEndPoint remote;
                bool natTraversal;
                lock (_gate)
                {
                    remote = session.Remote;
                    natTraversal = session.NatTraversal;
                    if (attempt > 0)
                    {
                        session.Retransmissions++;
                        Log($"{session.Name}: retransmitting request {messageId} ({attempt})");
                    }
                }

                foreach (var datagram in encoded)
                {
                    _transport.SendIke(datagram, remote, natTraversal);
                }

                var finished = await Task.WhenAny(completion.Task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
                if (finished == completion.Task)
                {
                    return await completion.Task.ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                timeout = TimeSpan.FromTicks((long)(timeout.Ticks * _options.RetransmitBase));
            }

            throw new PeerException($"no response from {session.Remote} to request {messageId} after {_options.RetransmitTries} retransmissions");
        }
        finally
        {
            lock (_gate)
            {
                _pending.Remove(key);
            }
        }
    }

    /// <summary>Handles one received datagram as the receive loop does, without its safety net: for tests that show no
    /// input makes the handlers throw.</summary>
    internal void Receive(Datagram datagram)
    {
        lock (_gate)
        {
            Dispatch(datagram);
        }
    }

    private void OnDatagram(Datagram datagram)
    {
        try
        {
            Receive(datagram);
        }
        catch (Exception e) when (e is CryptographicException or SocketException or IOException or ArgumentException)
        {
            // Sending a reply can fail (the socket went away); nothing a peer sends is meant to get here.
            Log($"dropped a datagram from {datagram.Remote}: {e.Message}");
        }
    }

    private void OnReceiveStopped(string reason)
    {
        lock (_gate)
        {
            _error.WriteLine($"visibility-peer: error: {reason}");
            _error.Flush();
        }
        _receiveStopped.TrySetResult(reason);
    }

    private void Dispatch(Datagram datagram)
    {
        switch (datagram.Kind)
        {
            case DatagramKind.Ike:
                OnIke(datagram);
                break;
            case DatagramKind.Esp:
                OnEsp(datagram, datagram.Data, wesp: false);
                break;
            case DatagramKind.Wesp:
                OnWesp(datagram);
                break;
            default:
                break;
        }
    }

    private void OnIke(Datagram datagram)
    {
        var raw = datagram.Data;
        if (!IkeCodec.TryReadHeader(raw, out var spiI, out var spiR, out var exchange, out var flags, out var messageId))
        {
            return;
        }

        var isResponse = (flags & IkeFlags.Response) != 0;
        _sessions.TryGetValue(spiI, out var session);
        if (isResponse)
        {
            if (session is null || !_pending.TryGetValue((spiI, messageId), out var completion))
            {
                return;
            }

            var status = exchange == IkeExchangeType.IkeSaInit
                ? IkeCodec.TryDecode(raw, null, out var response)
                : DecodeProtected(session, raw, fromResponder: true, out response);
            if (status == IkeDecodeStatus.FragmentPending)
            {
                return;
            }

            if (status != IkeDecodeStatus.Ok || response!.ExchangeType != exchange)
            {
                Log($"{session.Name}: dropped a response ({status})");
                return;
            }

            if (exchange != IkeExchangeType.IkeSaInit && !response.WasEncrypted)
            {
                // Only SK-protected responses count once keys exist; an unprotected one may still prove a crash (QCD).
                if (!OnUnprotectedResponse(session, response, completion))
                {
                    Log($"{session.Name}: unprotected {response} dropped");
                }

                return;
            }

            if (exchange == IkeExchangeType.IkeSaInit && response.GetNotify(IkeNotifyType.Redirect) is { } redirect
                && (GatewayIdentity.From(redirect.Data, out var nonce) is null || !nonce.AsSpan().SequenceEqual(session.NonceI)))
            {
                // RFC 5685 §3: a REDIRECT without our Ni may be forged; it is dropped and the wait goes on.
                Log($"{session.Name}: REDIRECT without our nonce dropped");
                return;
            }

            completion.TrySetResult((response, raw));
            return;
        }

        if (exchange == IkeExchangeType.IkeSaInit && spiR == 0 && messageId == 0)
        {
            OnInitRequest(datagram, session);
            return;
        }

        if (session is null || session.ResponderSpi != spiR || session.Keys is null)
        {
            Log($"request for an unknown IKE SA {spiI:x16}_i {spiR:x16}_r from {datagram.Remote}");
            if (session is null)
            {
                AnswerUnknownSa(datagram, spiI, spiR, exchange, flags, messageId);
            }

            return;
        }

        // The I flag tells whose SPI half is ours: a request from the original initiator reaches the responder.
        if (((flags & IkeFlags.Initiator) != 0) == session.IsInitiator)
        {
            return;
        }

        if (messageId == session.LastResponseId && session.LastResponse is not null)
        {
            // RFC 7383 §2.6.1: of a fragmented retransmission only fragment 1 triggers the resend, once per round.
            if (!IkeCodec.IsFragment(raw, out var number, out _) || number == 1)
            {
                Log($"{session.Name}: retransmitted request {messageId}, resending the response ({session.LastResponse.Count} datagram(s))");
                foreach (var part in session.LastResponse)
                {
                    _transport.SendIke(part, datagram.Remote, datagram.NatTraversal);
                }
            }

            return;
        }

        if (messageId != session.ExpectedPeerRequestId)
        {
            Log($"{session.Name}: request {messageId} while expecting {session.ExpectedPeerRequestId}, ignored");
            return;
        }

        var decode = DecodeProtected(session, raw, fromResponder: false, out var request);
        if (decode == IkeDecodeStatus.FragmentPending)
        {
            return;
        }

        if (decode != IkeDecodeStatus.Ok)
        {
            Log($"{session.Name}: request {messageId} dropped ({decode})");
            return;
        }

        // RFC 7296 §2.23: answer to (and keep using) the address and port of the last authenticated request.
        session.Remote = datagram.Remote;
        session.Local = datagram.Local;
        session.NatTraversal = datagram.NatTraversal;
        Log($"{session.Name}: received {request}");
        switch (request!.ExchangeType)
        {
            case IkeExchangeType.IkeAuth when !session.IsInitiator && session.State == IkeSaState.Connecting:
                // RFC 7296 §2.23: no NAT and an initiator that stayed on port 500: its ESP is not UDP-encapsulated.
                session.PlainEsp = _raw is not null && !session.NatTraversal && !session.NatDetected;
                OnAuthRequest(session, request);
                break;
            case IkeExchangeType.Informational:
                OnInformationalRequest(session, request);
                break;
            case IkeExchangeType.CreateChildSa when session.State == IkeSaState.Established:
                OnCreateChildSaRequest(session, request);
                break;
            case IkeExchangeType.CreateChildSa:
                // An SA being rekeyed or deleted takes no new Child SAs (RFC 7296 §2.25).
                SendResponse(session, request, [new NotifyPayload(IkeNotifyType.TemporaryFailure)]);
                break;
            default:
                SendResponse(session, request, [new NotifyPayload(IkeNotifyType.InvalidSyntax)]);
                break;
        }
    }

    private void OnInitRequest(Datagram datagram, IkeSession? existing)
    {
        var raw = datagram.Data;
        if (existing is not null)
        {
            if (!existing.IsInitiator && existing.InitRequest.AsSpan().SequenceEqual(raw))
            {
                Log($"{existing.Name}: retransmitted IKE_SA_INIT, resending the response");
                _transport.SendIke(existing.InitResponse, datagram.Remote, datagram.NatTraversal);
            }

            return;
        }

        if (IkeCodec.TryDecode(raw, null, out var request) != IkeDecodeStatus.Ok)
        {
            return;
        }

        var spiI = request!.InitiatorSpi;
        Log($"{spiI:x16}_i: received {request} from {datagram.Remote}");
        var nonceI = request.Get<NoncePayload>()?.Data;
        var sa = request.Get<SecurityAssociationPayload>();
        var ke = request.Get<KeyExchangePayload>();
        if (nonceI is not { Length: >= 16 and <= 256 } || sa is null || ke is null)
        {
            SendInitError(datagram, request, new NotifyPayload(IkeNotifyType.InvalidSyntax));
            return;
        }

        if (_options.RequireCookie)
        {
            var expected = Cookie(nonceI, datagram.Remote.Address, spiI);
            var cookie = request.Payloads.Count > 0 ? request.Payloads[0] as NotifyPayload : null;
            if (cookie is null || cookie.NotifyType != IkeNotifyType.Cookie || !CryptographicOperations.FixedTimeEquals(cookie.Data, expected))
            {
                Log($"{spiI:x16}_i: asking for a COOKIE");
                SendInitError(datagram, request, new NotifyPayload(IkeNotifyType.Cookie, expected));
                return;
            }
        }

        if (_options.RedirectTo is { } gateway && _options.RedirectPhase == RedirectPhase.Init && AnnouncesRedirect(request))
        {
            // RFC 5685 §3: the response carries the initiator's nonce and no responder SPI; no state is kept.
            _output.WriteLine($"redirecting IKE_SA_INIT {spiI:x16}_i from {datagram.Remote.Address} to {gateway}");
            _output.Flush();
            SendInitError(datagram, request, new NotifyPayload(IkeNotifyType.Redirect, gateway.Encode(nonceI)));
            return;
        }

        NegotiatedSuite? suite = null;
        Proposal? offered = null;
        foreach (var spec in _options.IkeProposals)
        {
            foreach (var proposal in sa.Proposals)
            {
                suite = spec.Match(proposal, preferredGroup: ke.Group);
                if (suite is not null)
                {
                    offered = proposal;
                    break;
                }
            }

            if (suite is not null)
            {
                break;
            }
        }

        if (suite is null || offered is null)
        {
            Log($"{spiI:x16}_i: no acceptable IKE proposal");
            SendInitError(datagram, request, new NotifyPayload(IkeNotifyType.NoProposalChosen));
            return;
        }

        if (ke.Group != suite.DhGroup)
        {
            var data = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)suite.DhGroup);
            Log($"{spiI:x16}_i: KE group {ke.Group} is not the chosen {suite.DhGroup}, sending INVALID_KE_PAYLOAD");
            SendInitError(datagram, request, new NotifyPayload(IkeNotifyType.InvalidKePayload, data));
            return;
        }

        var keyExchange = KeyExchange.Create(suite.DhGroup);
        byte[] sharedSecret;
        try
        {
            sharedSecret = keyExchange.ComputeSharedSecret(ke.Data);
        }
        catch (CryptographicException e)
        {
            Log($"{spiI:x16}_i: invalid key exchange data: {e.Message}");
            SendInitError(datagram, request, new NotifyPayload(IkeNotifyType.InvalidSyntax));
            return;
        }

        var session = new IkeSession(false, spiI, datagram.Remote, datagram.Local)
        {
            ResponderSpi = RandomSpi64(),
            NatTraversal = datagram.NatTraversal,
            NonceI = nonceI,
            NonceR = RandomNumberGenerator.GetBytes(32),
            Suite = suite,
            InitRequest = raw,
            ExpectedPeerRequestId = 1,
            LastResponseId = 0,
            RedirectSupported = AnnouncesRedirect(request),
            Fragmentation = _options.Fragmentation && request.GetNotify(IkeNotifyType.Ikev2FragmentationSupported) is not null,
            RedirectedFrom = request.GetNotify(IkeNotifyType.RedirectedFrom) is { } from ? GatewayIdentity.From(from.Data, out _) : null,
        };
        var response = IkeMessage.Create(spiI, session.ResponderSpi, IkeExchangeType.IkeSaInit, 0, true, false,
            new SecurityAssociationPayload([ProposalSpec.Selected(offered.Number, ProtocolId.Ike, [], suite)]),
            new KeyExchangePayload(suite.DhGroup, keyExchange.PublicKey),
            new NoncePayload(session.NonceR),
            new NotifyPayload(IkeNotifyType.NatDetectionSourceIp, SourceHash(spiI, session.ResponderSpi, datagram.Local)),
            new NotifyPayload(IkeNotifyType.NatDetectionDestinationIp, NatDetection.Hash(spiI, session.ResponderSpi, datagram.Remote)));
        session.NatDetected = NatDetected(request, spiI, 0, datagram.Remote, datagram.Local);
        if (session.Fragmentation)
        {
            // RFC 7383 §2.3: answered only to an initiator that announced it.
            response.Payloads.Add(new NotifyPayload(IkeNotifyType.Ikev2FragmentationSupported));
        }

        var encoded = IkeCodec.Encode(response);
        session.InitResponse = encoded;
        session.LastResponse = [encoded];
        session.Keys = IkeSaKeys.Derive(suite.Prf!, suite.Integrity, suite.Encryption, sharedSecret, nonceI, session.NonceR, spiI, session.ResponderSpi);
        _sessions[spiI] = session;
        Log($"{session.Name}: sending {response} ({suite})");
        _transport.SendIke(encoded, datagram.Remote, datagram.NatTraversal);
        _exporter?.WriteIkeSa(session);
    }

    private void OnAuthRequest(IkeSession session, IkeMessage request)
    {
        if (_options.EapTls is not null)
        {
            OnEapAuthRequest(session, request);
            return;
        }

        var suite = session.Suite!;
        var keys = session.Keys!;
        var idi = request.GetIdentification(true);
        var auth = request.Get<AuthenticationPayload>();
        if (idi is null || auth is null)
        {
            SendResponse(session, request, [new NotifyPayload(IkeNotifyType.InvalidSyntax)]);
            Fail(session, "IKE_AUTH request lacks IDi or AUTH");
            return;
        }

        var expected = PskAuthentication.Compute(suite.Prf!, _options.SharedSecret, session.InitRequest, session.NonceR, keys.SkPi, idi.GetBody());
        var identityAccepted = _options.RemoteId is null || _options.RemoteId.Matches(idi.Identity);
        if (!identityAccepted || auth.Method != AuthMethod.SharedKeyMessageIntegrityCode || !CryptographicOperations.FixedTimeEquals(expected, auth.Data))
        {
            Log($"{session.Name}: authentication of {idi.Identity} failed");
            SendResponse(session, request, [new NotifyPayload(IkeNotifyType.AuthenticationFailed)]);
            Fail(session, $"authentication of {idi.Identity} failed");
            return;
        }

        session.RemoteIdentity = idi.Identity;
        var idr = new IdentificationPayload(false, _options.LocalId);
        var ourAuth = PskAuthentication.Compute(suite.Prf!, _options.SharedSecret, session.InitResponse, session.NonceI, keys.SkPr, idr.GetBody());
        CompleteAuth(session, request, request, [idr, new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, ourAuth)]);
    }

    /// <summary>The last IKE_AUTH response of a responder whose peer has authenticated: our AUTH (in
    /// <paramref name="payloads"/>), QCD token, then REDIRECT or the Child SA asked for in <paramref name="childRequest"/>.</summary>
    private void CompleteAuth(IkeSession session, IkeMessage request, IkeMessage childRequest, List<Payload> payloads)
    {
        var suite = session.Suite!;
        var idi = session.RemoteIdentity!;
        TakeQcdToken(session, childRequest);
        if (_options.Qcd)
        {
            payloads.Add(QcdNotify(session.InitiatorSpi, session.ResponderSpi));
        }

        if (_options.RedirectTo is { } gateway && _options.RedirectPhase == RedirectPhase.Auth && session.RedirectSupported)
        {
            // RFC 5685 §6: the initiator's AUTH verified; REDIRECT instead of a Child SA, and the initiator deletes the SA.
            payloads.Add(new NotifyPayload(IkeNotifyType.Redirect, gateway.Encode()));
            session.State = IkeSaState.Established;
            session.RedirectedTo = gateway;
            session.NextRequestId = 0;
            SendResponse(session, request, payloads);
            _output.WriteLine($"IKE SA {session.Name}: redirecting {idi} to {gateway} in IKE_AUTH");
            _output.Flush();
            return;
        }

        var child = NegotiateChild(session, childRequest, payloads);
        session.State = IkeSaState.Established;
        session.NextRequestId = 0;
        SendResponse(session, request, payloads);
        _output.WriteLine($"IKE SA {session.Name} established with {session.Remote.Address} ({suite}), remote identity {idi}");
        if (child is not null)
        {
            AddChild(session, child);
        }

        Established?.Invoke(session);
        ScheduleRedirect(session);
        if (_options.SimulateCrash)
        {
            ForgetAll();
        }
    }

    private ChildSa? NegotiateChild(IkeSession session, IkeMessage request, List<Payload> payloads)
    {
        var choice = ChooseChild(session, request, withDh: false, out var refusal);
        if (choice is null)
        {
            if (refusal is not null)
            {
                payloads.Add(refusal);
            }

            return null;
        }

        var (suite, offered, localTs, remoteTs) = choice.Value;
        var inboundSpi = AllocateChildSpi();
        payloads.Add(new SecurityAssociationPayload([ProposalSpec.Selected(offered.Number, ProtocolId.Esp, Spi32(inboundSpi), suite)]));
        payloads.Add(new TrafficSelectorPayload(true, [remoteTs]));
        payloads.Add(new TrafficSelectorPayload(false, [localTs]));
        var wesp = WespAccepted(request);
        if (wesp)
        {
            payloads.Add(new NotifyPayload(IkeNotifyType.UseWespMode));
        }

        var (ir, ri) = ChildKeyMaterial.Derive(session.Suite!.Prf!, session.Keys!.SkD, session.NonceI, session.NonceR, suite.Encryption, suite.Integrity);
        var outboundSpi = BinaryPrimitives.ReadUInt32BigEndian(offered.Spi);
        return new ChildSa(suite, new EspSa(inboundSpi, suite, ir), new EspSa(outboundSpi, suite, ri), localTs, remoteTs, wesp);
    }

    /// <summary>Picks our first ESP proposal the request offers and narrows its selectors (RFC 7296 §2.9); null with the
    /// refusal to send (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE) or none when the request asks for no Child SA.</summary>
    private (NegotiatedSuite Suite, Proposal Offered, TrafficSelector LocalTs, TrafficSelector RemoteTs)? ChooseChild(
        IkeSession session, IkeMessage request, bool withDh, out NotifyPayload? refusal)
    {
        refusal = null;
        var sa = request.Get<SecurityAssociationPayload>();
        var tsi = request.GetTrafficSelectors(true);
        var tsr = request.GetTrafficSelectors(false);
        if (sa is null || tsi is null || tsr is null)
        {
            return null;
        }

        NegotiatedSuite? suite = null;
        Proposal? offered = null;
        foreach (var spec in _options.EspProposals)
        {
            offered = sa.Proposals.FirstOrDefault(p => p.Spi.Length == 4 && spec.Match(p, withDh) is not null);
            if (offered is not null)
            {
                suite = spec.Match(offered, withDh);
                break;
            }
        }

        if (suite is null || offered is null)
        {
            Log($"{session.Name}: no acceptable ESP proposal");
            refusal = new NotifyPayload(IkeNotifyType.NoProposalChosen);
            return null;
        }

        // Narrowing (RFC 7296 §2.9): TSi is the initiator's side, our remote; TSr ours.
        var remoteTs = tsi.Selectors.Select(s => s.Intersect(_options.RemoteTs)).FirstOrDefault(s => s is not null);
        var localTs = tsr.Selectors.Select(s => s.Intersect(_options.LocalTs)).FirstOrDefault(s => s is not null);
        if (remoteTs is null || localTs is null)
        {
            Log($"{session.Name}: traffic selectors {string.Join(' ', tsi.Selectors)} === {string.Join(' ', tsr.Selectors)} unacceptable");
            refusal = new NotifyPayload(IkeNotifyType.TsUnacceptable);
            return null;
        }

        return (suite, offered, localTs, remoteTs);
    }

    private void OnInformationalRequest(IkeSession session, IkeMessage request)
    {
        TakeQcdToken(session, request);
        if (OnRedirectRequest(session, request))
        {
            return;
        }

        var responsePayloads = new List<Payload>();
        var deleteIke = false;
        foreach (var delete in request.Payloads.OfType<DeletePayload>())
        {
            if (delete.ProtocolId == ProtocolId.Ike)
            {
                deleteIke = true;
                continue;
            }

            var ours = new List<uint>();
            foreach (var spi in delete.Spis)
            {
                var child = session.Children.FirstOrDefault(c => c.Outbound.Spi == spi);
                if (child is not null)
                {
                    RemoveChild(session, child);
                    ours.Add(child.Inbound.Spi);
                    _output.WriteLine($"CHILD SA {child.Name} deleted by the peer");
                }
            }

            if (ours.Count > 0)
            {
                responsePayloads.Add(new DeletePayload(delete.ProtocolId, ours));
            }
        }

        SendResponse(session, request, deleteIke ? [] : responsePayloads);
        if (deleteIke)
        {
            // The Delete that follows an IKE SA rekey ends the old SA only; the session lives on in its successor.
            var wasEstablished = session.State == IkeSaState.Established;
            _output.WriteLine($"IKE SA {session.Name} deleted by the peer");
            _output.Flush();
            Remove(session);
            if (wasEstablished)
            {
                _deleted.TrySetResult();
                _deleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void SendResponse(IkeSession session, IkeMessage request, List<Payload> payloads)
    {
        var response = IkeMessage.Create(session.InitiatorSpi, session.ResponderSpi, request.ExchangeType, request.MessageId, true, session.IsInitiator);
        response.Payloads.AddRange(payloads);
        var encoded = Protect(session, response);
        session.LastResponse = encoded;
        session.LastResponseId = request.MessageId;
        session.ExpectedPeerRequestId = request.MessageId + 1;
        Log($"{session.Name}: sending {response}{(encoded.Count > 1 ? $" in {encoded.Count} fragments" : string.Empty)}");
        foreach (var part in encoded)
        {
            _transport.SendIke(part, session.Remote, session.NatTraversal);
        }
    }

    /// <summary>Encodes a protected message of <paramref name="session"/>: one SK datagram, or SKF fragments when
    /// fragmentation was negotiated and the message exceeds the fragment size [RFC 7383 §2.5, §2.5.1].</summary>
    private IReadOnlyList<byte[]> Protect(IkeSession session, IkeMessage message) =>
        session.Fragmentation ? IkeCodec.EncodeProtected(message, session.Outbound, MaxIkeMessageLength(session)) : [IkeCodec.EncodeProtected(message, session.Outbound)];

    /// <summary>The longest IKE message that fits the fragment size (an IP datagram size: <see cref="PeerOptions.FragmentSize"/>,
    /// by default 1280 for IPv6 and 576 for IPv4, RFC 7383 §2.5.1) after the IP and UDP headers and the non-ESP marker.</summary>
    private int MaxIkeMessageLength(IkeSession session)
    {
        var ipv6 = session.Remote.AddressFamily == AddressFamily.InterNetworkV6;
        var datagram = _options.FragmentSize ?? (ipv6 ? 1280 : 576);
        return datagram - (ipv6 ? 40 : 20) - 8 - (session.NatTraversal ? 4 : 0);
    }

    /// <summary>Decodes a protected message of <paramref name="session"/>; an SKF fragment is verified and held until
    /// its message is complete (<see cref="IkeDecodeStatus.FragmentPending"/> until then) [RFC 7383 §2.6].</summary>
    private IkeDecodeStatus DecodeProtected(IkeSession session, byte[] raw, bool fromResponder, out IkeMessage? message)
    {
        var status = IkeCodec.TryDecode(raw, session.Inbound, out message);
        if (status != IkeDecodeStatus.Fragment)
        {
            return status;
        }

        if (!session.Fragmentation)
        {
            // RFC 7383 §2.3: fragments only after both sides announced support.
            return IkeDecodeStatus.Malformed;
        }

        status = IkeCodec.TryDecodeFragment(raw, session.Inbound, out var header, out var fragment);
        if (status != IkeDecodeStatus.Ok)
        {
            return status;
        }

        var buffer = fromResponder ? session.ResponseFragments : session.RequestFragments;
        var chain = buffer.Add(header!.MessageId, fragment, out var first);
        Log($"{session.Name}: fragment {fragment.Number}/{fragment.Total} of {(fromResponder ? "response" : "request")} {header.MessageId}");
        if (chain is null)
        {
            return IkeDecodeStatus.FragmentPending;
        }

        status = IkeCodec.ReadReassembled(header, first, chain);
        message = status == IkeDecodeStatus.Ok ? header : null;
        return status;
    }

    private void SendInitError(Datagram datagram, IkeMessage request, NotifyPayload notify)
    {
        var response = IkeMessage.Create(request.InitiatorSpi, 0, IkeExchangeType.IkeSaInit, 0, true, false, notify);
        _transport.SendIke(IkeCodec.Encode(response), datagram.Remote, datagram.NatTraversal);
    }

    private void OnWesp(Datagram datagram)
    {
        var ipv6 = datagram.Remote.AddressFamily == AddressFamily.InterNetworkV6;
        if (!WespHeader.TryRead(datagram.Data, ipv6, udpEncapsulated: !datagram.RawIp, out var header, out var anomaly))
        {
            _espMalformed++;
            Log($"WESP packet from {datagram.Remote.Address} dropped: {DecodeAnomalyNames.EventName(anomaly)}");
            return;
        }

        if (_children.TryGetValue(header.Spi, out var entry) && !WespWrapper.Matches(header, entry.Child.Inbound, out var reason))
        {
            _espRejected++;
            Log($"WESP packet on SPI 0x{header.Spi:x8} dropped: {reason}");
            return;
        }

        OnEsp(datagram, datagram.Data.AsSpan(header.EspOffset), wesp: true);
    }

    private void OnEsp(Datagram datagram, ReadOnlySpan<byte> esp, bool wesp)
    {
        if (esp.Length < 8)
        {
            _espMalformed++;
            return;
        }

        var spi = BinaryPrimitives.ReadUInt32BigEndian(esp);
        if (!_children.TryGetValue(spi, out var entry))
        {
            // A raw socket sees every protocol-50/141 packet reaching the host; only our SPIs are ours.
            _espUnknownSpi++;
            return;
        }

        var (session, child) = entry;
        if (child.Wesp != wesp)
        {
            // RFC 5840 §2.3: the Child SA is WESP or plain ESP as negotiated, never both.
            _espRejected++;
            Log($"{session.Name}: {(wesp ? "WESP" : "plain ESP")} packet on SPI 0x{spi:x8} of a{(child.Wesp ? " WESP" : "n ESP")} Child SA dropped");
            return;
        }

        if (datagram.RawIp != session.PlainEsp)
        {
            // RFC 7296 §2.23: a Child SA's packets are UDP-encapsulated or not as the NAT detection decided.
            _espRejected++;
            Log($"{session.Name}: {(datagram.RawIp ? "raw IP" : "UDP-encapsulated")} packet on SPI 0x{spi:x8} dropped: the Child SA goes {(session.PlainEsp ? "raw" : "over UDP")}");
            return;
        }

        if (!child.Inbound.TryDecapsulate(esp, out var inner, out var nextHeader))
        {
            _espRejected++;
            Log($"{session.Name}: ESP packet on SPI 0x{spi:x8} failed verification");
            return;
        }

        if (nextHeader is not (IcmpEcho.NextHeaderIPv4 or IcmpEcho.NextHeaderIPv6))
        {
            return;
        }

        _innerPacketsReceived++;
        InnerPacketTap?.Invoke(inner);
        if (!IcmpEcho.TryParse(inner, out var echo))
        {
            return;
        }

        if (echo!.IsRequest)
        {
            if (!child.LocalTs.Contains(echo.Destination) || !child.RemoteTs.Contains(echo.Source))
            {
                return;
            }

            var reply = echo.Reply();
            var current = session.Current;
            SendThroughChild(current, child.ReplacedBy ?? child, reply.ToPacket(), reply.TunnelNextHeader);
            Log($"{session.Name}: echo reply {echo.Sequence} {reply.Source} -> {reply.Destination}");
        }
        else if (echo.Identifier == PingIdentifier)
        {
            _echoReplies.Add(echo.Sequence);
            Log($"{session.Name}: echo reply {echo.Sequence} from {echo.Source}");
        }
    }

    private byte[] Cookie(byte[] nonceI, IPAddress address, ulong spiI)
    {
        // RFC 7296 §2.6 suggests Hash(Ni | IPi | SPIi | <secret>); a keyed HMAC does the same job.
        var input = new byte[nonceI.Length + 16 + 8];
        nonceI.CopyTo(input, 0);
        address.GetAddressBytes().CopyTo(input, nonceI.Length);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(nonceI.Length + 16), spiI);
        return HMACSHA256.HashData(_cookieSecret, input);
    }

    private void Fail(IkeSession session, string? reason = null)
    {
        session.State = IkeSaState.Failed;
        Remove(session);
        if (reason is not null)
        {
            _failed.TrySetResult(reason);
            _failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void Remove(IkeSession session)
    {
        if (session.State is not (IkeSaState.Failed or IkeSaState.Lost))
        {
            session.State = IkeSaState.Deleted;
        }

        _sessions.Remove(session.InitiatorSpi);
        foreach (var child in session.Children)
        {
            _children.Remove(child.Inbound.Spi);
        }

        session.Dispose();
    }

    private bool WespAccepted(IkeMessage request) => _options.Wesp && request.GetNotify(IkeNotifyType.UseWespMode) is not null;

    private static byte[] Spi32(uint spi)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, spi);
        return bytes;
    }

    private void SendThroughChild(IkeSession session, ChildSa child, byte[] packet, byte nextHeader)
    {
        var esp = child.Outbound.Encapsulate(packet, nextHeader);
        if (session.PlainEsp && _raw is not null)
        {
            // RFC 5840 §2: native WESP over IPv6 carries the padding word, over IPv4 it must not.
            var ipv6 = session.Remote.AddressFamily == AddressFamily.InterNetworkV6;
            _raw.Send(child.Wesp ? WespWrapper.Wrap(child.Outbound, nextHeader, esp, padded: ipv6) : esp,
                child.Wesp ? RawEspTransport.WespProtocol : RawEspTransport.EspProtocol, session.Local.Address, session.Remote.Address);
        }
        else if (child.Wesp)
        {
            _transport.SendWesp(WespWrapper.Wrap(child.Outbound, nextHeader, esp), session.Remote);
        }
        else
        {
            _transport.SendEsp(esp, session.Remote);
        }
    }

    private void RemoveChild(IkeSession session, ChildSa child)
    {
        session.Children.Remove(child);
        _children.Remove(child.Inbound.Spi);
    }

    private void Log(string line)
    {
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}"));
        _log.Flush();
    }
}
