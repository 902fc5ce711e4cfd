using System.Security.Cryptography;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Eap;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Session;

/// <summary>The responder's side of EAP-only authentication (RFC 5998) with EAP-TLS (RFC 5216).</summary>
/// <remarks>
/// <code>
/// I: IDi, [IDr], N(EAP_ONLY_AUTHENTICATION), SA, TSi, TSr     R: IDr, EAP(Request/Identity)       (no AUTH: EAP-only)
/// I: EAP(Response/Identity)                                    R: EAP(Request/TLS Start)
/// I: EAP(Response/TLS ...) ...                                 R: EAP(Request/TLS ...) ... EAP(Success)
/// I: AUTH (MSK)                                                R: AUTH (MSK), SA, TSi, TSr
/// </code>
/// With no AUTH of its own to send first, this responder serves only initiators that offer EAP-only; others get
/// AUTHENTICATION_FAILED. The AUTHs are those of RFC 7296 §2.16 with the MSK as shared secret.
/// </remarks>
internal sealed partial class PeerEngine
{
    private void OnEapAuthRequest(IkeSession session, IkeMessage request)
    {
        if (session.EapServer is null)
        {
            var idi = request.GetIdentification(true);
            if (idi is null || request.Get<AuthenticationPayload>() is not null || request.GetNotify(IkeNotifyType.EapOnlyAuthentication) is null
                || (_options.RemoteId is not null && !_options.RemoteId.Matches(idi.Identity)))
            {
                Log($"{session.Name}: IKE_AUTH without EAP-only from {idi?.Identity}: refused");
                SendResponse(session, request, [new NotifyPayload(IkeNotifyType.AuthenticationFailed)]);
                Fail(session, $"{idi?.Identity} did not offer EAP-only authentication");
                return;
            }

            session.RemoteIdentity = idi.Identity;
            session.IdentificationBody = idi.GetBody();
            session.PendingAuthRequest = request;
            session.EapOnly = true;
            session.EapServer = new EapTlsServer(_options.EapTls!);
            SendResponse(session, request, [new IdentificationPayload(false, _options.LocalId), new EapPayload(session.EapServer.Start())]);
            _output.WriteLine($"IKE SA {session.Name}: EAP-only authentication (RFC 5998) of {idi.Identity}, EAP-TLS");
            _output.Flush();
            return;
        }

        var server = session.EapServer;
        if (request.Get<EapPayload>() is { } eap && !server.Succeeded)
        {
            byte[] answer;
            try
            {
                answer = server.Respond(eap.Packet);
            }
            catch (EapException e)
            {
                Log($"{session.Name}: EAP-TLS failed: {e.Message}");
                SendResponse(session, request, [new EapPayload(server.Failure())]);
                Fail(session, $"EAP-TLS with {session.RemoteIdentity} failed: {e.Message}");
                return;
            }

            SendResponse(session, request, [new EapPayload(answer)]);
            if (server.Succeeded)
            {
                session.Msk = server.Msk;
                _output.WriteLine($"IKE SA {session.Name}: EAP-TLS with '{server.PeerIdentity}' succeeded, MSK {server.Msk.Length} octets");
                _output.Flush();
            }

            return;
        }

        var auth = request.Get<AuthenticationPayload>();
        if (auth is null || session.Msk is not { } msk)
        {
            SendResponse(session, request, [new NotifyPayload(IkeNotifyType.InvalidSyntax)]);
            Fail(session, "IKE_AUTH with EAP: neither EAP nor AUTH after EAP-Success");
            return;
        }

        var prf = session.Suite!.Prf!;
        var expected = PskAuthentication.Compute(prf, msk, session.InitRequest, session.NonceR, session.Keys!.SkPi, session.IdentificationBody);
        if (auth.Method != AuthMethod.SharedKeyMessageIntegrityCode || !CryptographicOperations.FixedTimeEquals(expected, auth.Data))
        {
            Log($"{session.Name}: AUTH of {session.RemoteIdentity} does not verify with the MSK");
            SendResponse(session, request, [new NotifyPayload(IkeNotifyType.AuthenticationFailed)]);
            Fail(session, $"AUTH of {session.RemoteIdentity} does not verify with the EAP MSK");
            return;
        }

        var idr = new IdentificationPayload(false, _options.LocalId);
        var ourAuth = PskAuthentication.Compute(prf, msk, session.InitResponse, session.NonceI, session.Keys.SkPr, idr.GetBody());
        CompleteAuth(session, request, session.PendingAuthRequest!, [new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, ourAuth)]);
    }
}
