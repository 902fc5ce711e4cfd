using System.Globalization;
using System.Security.Cryptography;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Session;

/// <summary>Quick Crash Detection (RFC 6290): token maker and taker, and a simulated crash.</summary>
/// <remarks>
/// Maker (<see cref="Config.PeerOptions.Qcd"/>): <c>N(QUICK_CRASH_DETECTION)</c>, Protocol ID 1, SPI size 0, the token as
/// data, after AUTH in its first IKE_AUTH message (the initiator's request, the responder's response) (§4.2); after an IKE
/// SA rekey in the CREATE_CHILD_SA response, or in an INFORMATIONAL on the new SA when the maker requested the rekey (§4.3).
/// A request for an IKE SA it does not know is answered in clear, SPIs and Message ID copied:
/// <c>HDR, N(INVALID_IKE_SPI), N(QUICK_CRASH_DETECTION, token)</c> (§4.5); the token is recomputed from the SPIs, so it
/// matches only what was handed out before the state was lost. Taker: stores the token of each SA; an unprotected
/// INVALID_IKE_SPI response carrying it ends the SA at once, silently (§4.5, §5). Unprotected responses without it are
/// dropped as before.
/// </remarks>
internal sealed partial class PeerEngine
{
    private readonly Crypto.QcdTokenMaker _qcd = Crypto.QcdTokenMaker.CreateRandom();
    private TaskCompletionSource _crashReported = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when this side, having lost its state, answered a request with INVALID_IKE_SPI and a token.</summary>
    public Task WhenCrashReported
    {
        get
        {
            lock (_gate)
            {
                return _crashReported.Task;
            }
        }
    }

    /// <summary>Forgets every IKE and Child SA, as a crash would; the QCD and cookie secrets stay.</summary>
    public void SimulateCrash()
    {
        lock (_gate)
        {
            ForgetAll();
        }
    }

    private void ForgetAll()
    {
        foreach (var session in _sessions.Values.ToList())
        {
            session.Dispose();
        }

        _sessions.Clear();
        _children.Clear();
        _output.WriteLine("simulated crash: every IKE and Child SA forgotten");
        _output.Flush();
    }

    private NotifyPayload QcdNotify(ulong spiI, ulong spiR) =>
        new(IkeNotifyType.QuickCrashDetection, _qcd.Token(spiI, spiR), ProtocolId.Ike);

    /// <summary>Taker: keeps the token the other side sent for this SA.</summary>
    private void TakeQcdToken(IkeSession session, IkeMessage message)
    {
        if (message.GetNotify(IkeNotifyType.QuickCrashDetection) is { Data.Length: >= 16 and <= 128 } token)
        {
            session.QcdToken = token.Data;
            Log($"{session.Name}: QCD token stored");
        }
    }

    /// <summary>Maker: a request for an IKE SA we do not have gets INVALID_IKE_SPI and the token of its SPIs (§4.5).</summary>
    private void AnswerUnknownSa(Datagram datagram, ulong spiI, ulong spiR, IkeExchangeType exchange, IkeFlags flags, uint messageId)
    {
        if (!_options.Qcd || spiR == 0)
        {
            return;
        }

        // We answer as the side that did not send the request: the I flag is the opposite of the request's.
        var response = IkeMessage.Create(spiI, spiR, exchange, messageId, response: true, fromInitiator: (flags & IkeFlags.Initiator) == 0,
            new NotifyPayload(IkeNotifyType.InvalidIkeSpi), QcdNotify(spiI, spiR));
        _transport.SendIke(IkeCodec.Encode(response), datagram.Remote, datagram.NatTraversal);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unknown IKE SA {spiI:x16}_i {spiR:x16}_r: answered INVALID_IKE_SPI with its QCD token"));
        _output.Flush();
        _crashReported.TrySetResult();
        _crashReported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Taker: an unprotected response to a protected request; true when it proved the other side lost the SA.</summary>
    private bool OnUnprotectedResponse(IkeSession session, IkeMessage response, TaskCompletionSource<(IkeMessage, byte[])> completion)
    {
        if (session.QcdToken is not { } stored || response.GetNotify(IkeNotifyType.InvalidIkeSpi) is null)
        {
            return false;
        }

        // Up to four tokens may come (key rollover); a bitwise match of any is proof (§4.5, §5).
        var matched = response.Notifies.Where(n => n.NotifyType == IkeNotifyType.QuickCrashDetection).Take(4)
            .Any(n => n.Data.Length == stored.Length && CryptographicOperations.FixedTimeEquals(n.Data, stored));
        if (!matched)
        {
            return false;
        }

        session.State = IkeSaState.Lost;
        Remove(session);
        _output.WriteLine($"IKE SA {session.Name}: the peer lost it (INVALID_IKE_SPI with our QCD token), deleted");
        _output.Flush();
        completion.TrySetException(new PeerLostException(
            $"the peer at {session.Remote.Address} lost IKE SA {session.Name}: INVALID_IKE_SPI with the QCD token (RFC 6290), it crashed or restarted"));
        return true;
    }
}
