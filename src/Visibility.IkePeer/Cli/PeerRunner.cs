using System.Runtime.InteropServices;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Cli;

/// <summary>Runs a parsed command: exit 0 on success, 1 on bad usage, 2 when negotiation or traffic failed, 3 when the
/// other side proved it lost the IKE SA (QCD).</summary>
internal static class PeerRunner
{
    public const int ExitSuccess = 0;
    public const int ExitUsage = 1;
    public const int ExitFailure = 2;

    /// <summary>The other side proved it lost the IKE SA (QCD, RFC 6290): it crashed or restarted.</summary>
    public const int ExitPeerLost = 3;

    private static readonly TimeSpan s_deleteTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Count == 1 && args[0] is "--help" or "-h" or "help")
        {
            await output.WriteLineAsync(PeerArguments.Usage).ConfigureAwait(false);
            await output.WriteLineAsync(ScenarioRunner.Usage).ConfigureAwait(false);
            return 0;
        }

        if (args.Count > 0 && args[0] == "scenario")
        {
            return await ScenarioRunner.RunAsync(args, output, error, cancellationToken).ConfigureAwait(false);
        }

        PeerArguments parsed;
        try
        {
            parsed = PeerArguments.Parse(args);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"visibility-peer: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync(PeerArguments.Usage).ConfigureAwait(false);
            return ExitUsage;
        }

        try
        {
            return parsed.Command == PeerCommand.Initiate
                ? await InitiateAsync(parsed, output, error, cancellationToken).ConfigureAwait(false)
                : await RespondAsync(parsed, output, error, cancellationToken).ConfigureAwait(false);
        }
        catch (PeerLostException e)
        {
            await error.WriteLineAsync($"visibility-peer: {e.Message}").ConfigureAwait(false);
            return ExitPeerLost;
        }
        catch (PeerException e)
        {
            await error.WriteLineAsync($"visibility-peer: {e.Message}").ConfigureAwait(false);
            return ExitFailure;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await error.WriteLineAsync($"visibility-peer: socket error: {e.Message}").ConfigureAwait(false);
            return ExitFailure;
        }
    }

    /// <summary>Cancels <paramref name="source"/> on SIGTERM and SIGINT instead of ending the process.</summary>
    public static IDisposable[] OnTermination(CancellationTokenSource source)
    {
        void Handler(PosixSignalContext context)
        {
            context.Cancel = true;
            source.Cancel();
        }

        return [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler)];
    }

    private static async Task<int> InitiateAsync(PeerArguments parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var engine = new PeerEngine(parsed.Options, output, error, initiator: true);
        IkeSession session;
        try
        {
            session = await engine.InitiateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PeerException)
        {
            await DeleteAllAsync(engine).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("visibility-peer: interrupted before the SAs were established").ConfigureAwait(false);
            await DeleteAllAsync(engine).ConfigureAwait(false);
            return ExitFailure;
        }

        try
        {
            session = await RekeyAsync(engine, session, parsed.Rekeys, cancellationToken).ConfigureAwait(false);
        }
        catch (PeerException)
        {
            await DeleteAllAsync(engine).ConfigureAwait(false);
            throw;
        }

        if (parsed.SendPcap is { } path)
        {
            return await SendCaptureAsync(engine, session, path, output, error).ConfigureAwait(false);
        }

        if (parsed.SendPing is { } count)
        {
            int received;
            try
            {
                received = await engine.PingAsync(session, count, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                received = engine.EchoRepliesReceived;
            }

            await output.WriteLineAsync($"{count} transmitted, {received} received").ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await DeleteAllAsync(engine).ConfigureAwait(false);
            if (session.Current.State == IkeSaState.Lost)
            {
                await error.WriteLineAsync($"visibility-peer: the responder lost IKE SA {session.Current.Name} (INVALID_IKE_SPI with our QCD token, RFC 6290): it crashed or restarted").ConfigureAwait(false);
                return ExitPeerLost;
            }

            if (received == 0)
            {
                await error.WriteLineAsync("visibility-peer: no echo reply came back through the Child SA").ConfigureAwait(false);
                return ExitFailure;
            }

            return ExitSuccess;
        }

        // Without --send-ping the SAs stay up (answering echo requests) until a signal or the peer's Delete.
        await Task.WhenAny(engine.WhenDeletedByPeer, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        await DeleteAllAsync(engine).ConfigureAwait(false);
        return ExitSuccess;
    }

    /// <summary><c>--send-pcap FILE</c>: every IP packet of FILE through the Child SA, the summary line, Delete.</summary>
    private static async Task<int> SendCaptureAsync(PeerEngine engine, IkeSession session, string path, TextWriter output, TextWriter error)
    {
        CaptureSendSummary summary;
        try
        {
            summary = CaptureSender.Send(engine, session, path);
        }
        catch (Exception e) when (e is Visibility.Wire.Pcap.CaptureFileException or IOException or UnauthorizedAccessException)
        {
            await DeleteAllAsync(engine).ConfigureAwait(false);
            await error.WriteLineAsync($"visibility-peer: --send-pcap {path}: {e.Message}").ConfigureAwait(false);
            return ExitFailure;
        }

        await output.WriteLineAsync(summary.Line()).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await DeleteAllAsync(engine).ConfigureAwait(false);
        return ExitSuccess;
    }

    private static async Task<int> RespondAsync(PeerArguments parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var engine = new PeerEngine(parsed.Options, output, error, initiator: false);
        if (parsed.Rekeys.Count > 0)
        {
            // Responder-requested rekeys once an SA is up (the event fires under the engine lock, so they run apart);
            // a failure is reported and leaves the SA as it was.
            engine.Established += established => _ = Task.Run(async () =>
            {
                try
                {
                    await RekeyAsync(engine, established, parsed.Rekeys, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is PeerException or OperationCanceledException)
                {
                    await error.WriteLineAsync($"visibility-peer: rekey: {e.Message}").ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }

        await output.WriteLineAsync($"listening on UDP {engine.IkePort} and {engine.NatTraversalPort}{(parsed.Options.EspTransport == EspTransport.Raw ? ", IP protocols 50 and 141" : string.Empty)}").ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        var stopped = Task.Delay(Timeout.Infinite, cancellationToken);
        if (parsed.Once)
        {
            var deleted = engine.WhenDeletedByPeer;
            var failed = engine.WhenFailed;
            var crashReported = engine.WhenCrashReported;
            var first = await Task.WhenAny(deleted, failed, crashReported, engine.WhenReceiveStopped, stopped).ConfigureAwait(false);
            if (first == failed)
            {
                await error.WriteLineAsync($"visibility-peer: {await failed.ConfigureAwait(false)}").ConfigureAwait(false);
                return ExitFailure;
            }

            if (first == engine.WhenReceiveStopped)
            {
                return ExitFailure;
            }

            await DeleteAllAsync(engine).ConfigureAwait(false);
            await ReportReceivedAsync(engine, output).ConfigureAwait(false);
            return ExitSuccess;
        }

        if (await Task.WhenAny(stopped, engine.WhenReceiveStopped).ConfigureAwait(false) == engine.WhenReceiveStopped)
        {
            return ExitFailure;
        }

        await DeleteAllAsync(engine).ConfigureAwait(false);
        await ReportReceivedAsync(engine, output).ConfigureAwait(false);
        return ExitSuccess;
    }

    /// <summary>Runs the <c>--rekey</c> steps in order; returns the IKE SA that is current afterwards.</summary>
    private static async Task<IkeSession> RekeyAsync(PeerEngine engine, IkeSession session, IReadOnlyList<RekeyStep> steps, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            if (step == RekeyStep.Child)
            {
                await engine.RekeyChildAsync(session, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                session = await engine.RekeyIkeAsync(session, cancellationToken).ConfigureAwait(false);
            }
        }

        return session.Current;
    }

    /// <summary>The responder's exit line: how many inner packets its Child SAs delivered; before it, when any were
    /// dropped, how many ESP/WESP packets were and why.</summary>
    private static async Task ReportReceivedAsync(PeerEngine engine, TextWriter output)
    {
        var (unknownSpi, malformed, rejected) = engine.EspPacketsDropped;
        if (unknownSpi + malformed + rejected > 0)
        {
            await output.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"dropped {unknownSpi + malformed + rejected} ESP packets: {unknownSpi} for SPIs not ours, {malformed} malformed, {rejected} rejected by their Child SA")).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"received {engine.InnerPacketsReceived} inner packets through Child SAs")).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task DeleteAllAsync(PeerEngine engine)
    {
        using var timeout = new CancellationTokenSource(s_deleteTimeout);
        foreach (var session in engine.Sessions.Where(s => s.State == IkeSaState.Established))
        {
            try
            {
                await engine.DeleteAsync(session, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is PeerException or OperationCanceledException)
            {
                // The other side may be gone already; the SA is dropped locally either way.
            }
        }
    }
}
