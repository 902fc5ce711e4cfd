using System.Net;
using System.Net.Sockets;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Session;

/// <summary>Redirect (RFC 5685): a responder that sends initiators elsewhere, and an initiator that follows.</summary>
/// <remarks>
/// Initiator: REDIRECT_SUPPORTED in every first IKE_SA_INIT request, REDIRECTED_FROM (the gateway that redirected us)
/// instead after a redirect (§3, §4); a REDIRECT in an IKE_SA_INIT response counts only with our Ni as its nonce data
/// (§3), one in the IKE_AUTH response only after the gateway's AUTH verified, and then the SA is deleted (§6); one in
/// an INFORMATIONAL request of an established SA is answered, the new gateway connected and the old SA deleted (§5).
/// More than <see cref="PeerOptions.MaxRedirects"/> redirects within <see cref="PeerOptions.RedirectLoopPeriod"/> fail
/// (§7). An FQDN gateway is resolved with <see cref="PeerOptions.Resolve"/>; gateways are reached on the first one's port.
/// Responder: <see cref="PeerOptions.RedirectTo"/> in the phase <see cref="PeerOptions.RedirectPhase"/>, to initiators that
/// announced support only (§3).
/// </remarks>
internal sealed partial class PeerEngine
{
    private readonly Queue<DateTime> _redirects = new();

    /// <summary>Sends INFORMATIONAL <c>SK{N(REDIRECT, gateway)}</c> on an established SA [RFC 5685 §5]; the initiator then
    /// moves to <paramref name="gateway"/> and deletes this SA.</summary>
    public async Task RedirectAsync(IkeSession session, GatewayIdentity gateway, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> encoded;
        uint messageId;
        lock (_gate)
        {
            session = session.Current;
            RequireEstablished(session);
            if (!session.RedirectSupported)
            {
                throw new PeerException($"IKE SA {session.Name}: the initiator did not announce REDIRECT_SUPPORTED");
            }

            session.RedirectedTo = gateway;
            (encoded, messageId) = EncodeRequest(session, IkeExchangeType.Informational, [new NotifyPayload(IkeNotifyType.Redirect, gateway.Encode())]);
            _output.WriteLine($"IKE SA {session.Name}: redirecting {session.Remote.Address} to {gateway}");
            _output.Flush();
        }

        await SendRequestAsync(session, encoded, messageId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IkeSession> ConnectFollowingRedirectsAsync(IPEndPoint remote, GatewayIdentity? redirectedFrom, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (session, redirect) = await ConnectAsync(remote, redirectedFrom, cancellationToken).ConfigureAwait(false);
            if (session is not null)
            {
                return session;
            }

            CountRedirect();
            redirectedFrom = GatewayIdentity.FromAddress(remote.Address);
            remote = new IPEndPoint(ResolveGateway(redirect!, remote.AddressFamily), remote.Port);
        }
    }

    /// <summary>Follows an INFORMATIONAL REDIRECT: connects to the new gateway, then deletes the old SA [RFC 5685 §5].</summary>
    private async Task FollowRedirectAsync(IkeSession old, GatewayIdentity gateway)
    {
        try
        {
            CountRedirect();
            var next = new IPEndPoint(ResolveGateway(gateway, old.Remote.AddressFamily), _options.Remote!.Port);

            var session = await ConnectFollowingRedirectsAsync(next, GatewayIdentity.FromAddress(old.Remote.Address), _stop.Token).ConfigureAwait(false);
            lock (_gate)
            {
                old.ReplacedBy = session;
            }

            await DeleteSessionAsync(old, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PeerException or OperationCanceledException or SocketException)
        {
            _output.WriteLine($"IKE SA {old.Name}: following the redirect to {gateway} failed: {e.Message}");
            _output.Flush();
            lock (_gate)
            {
                _failed.TrySetResult($"following the redirect to {gateway} failed: {e.Message}");
                _failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Counts a redirect against the RFC 5685 §7 loop limit; throws once the limit is passed.</summary>
    private void CountRedirect()
    {
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            while (_redirects.Count > 0 && now - _redirects.Peek() > _options.RedirectLoopPeriod)
            {
                _redirects.Dequeue();
            }

            _redirects.Enqueue(now);
            if (_redirects.Count > _options.MaxRedirects)
            {
                throw new PeerException($"redirect loop: more than {_options.MaxRedirects} redirects within {_options.RedirectLoopPeriod.TotalSeconds:0} s (RFC 5685 §7)");
            }
        }
    }

    private IPAddress ResolveGateway(GatewayIdentity gateway, AddressFamily family)
    {
        if (gateway.Address is { } address)
        {
            return address;
        }

        IPAddress[] addresses;
        try
        {
            addresses = _options.Resolve(gateway.ToString());
        }
        catch (SocketException e)
        {
            throw new PeerException($"redirect gateway {gateway} does not resolve: {e.Message}", e);
        }

        return addresses.FirstOrDefault(a => a.AddressFamily == family) ?? addresses.FirstOrDefault()
            ?? throw new PeerException($"redirect gateway {gateway} has no address");
    }

    /// <summary>Responder: whether this IKE_SA_INIT request announced redirect support [RFC 5685 §3, §4].</summary>
    private static bool AnnouncesRedirect(IkeMessage request) =>
        request.GetNotify(IkeNotifyType.RedirectSupported) is not null || request.GetNotify(IkeNotifyType.RedirectedFrom) is not null;

    /// <summary>Initiator: an INFORMATIONAL REDIRECT from the original responder [RFC 5685 §5, §10]; answered empty.</summary>
    private bool OnRedirectRequest(IkeSession session, IkeMessage request)
    {
        if (request.GetNotify(IkeNotifyType.Redirect) is not { } notify || !session.IsInitiator || _options.Remote is null
            || session.State != IkeSaState.Established || session.RedirectedTo is not null)
        {
            return false;
        }

        var gateway = GatewayIdentity.From(notify.Data, out var nonce);
        if (gateway is null || nonce.Length != 0)
        {
            SendResponse(session, request, []);
            return true;
        }

        session.RedirectedTo = gateway;
        SendResponse(session, request, []);
        _output.WriteLine($"IKE SA {session.Name} redirected to {gateway} by {session.Remote.Address}");
        _output.Flush();
        _ = Task.Run(() => FollowRedirectAsync(session, gateway), CancellationToken.None);
        return true;
    }

    /// <summary>Responder: after setup, the INFORMATIONAL redirect of <see cref="RedirectPhase.Informational"/>.</summary>
    private void ScheduleRedirect(IkeSession session)
    {
        if (_options.RedirectTo is not { } gateway || _options.RedirectPhase != RedirectPhase.Informational || !session.RedirectSupported)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(_options.RedirectDelay, _stop.Token).ConfigureAwait(false);
                await RedirectAsync(session, gateway, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is PeerException or OperationCanceledException or ObjectDisposedException)
            {
                Log($"{session.Name}: redirect not sent: {e.Message}");
            }
        }, CancellationToken.None);
    }
}
