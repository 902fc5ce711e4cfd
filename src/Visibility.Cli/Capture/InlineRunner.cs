using System.Diagnostics;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Cli.Replay;
using Visibility.Cli.Rules;
using Visibility.Engine.Ike;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Capture;

/// <summary>Runs <c>visibility inline</c>: opens both ports, bridges until <c>stop</c>, then lets the engine finish,
/// ends open flows, writes the stats record, flushes EVE and prints the summary.</summary>
internal sealed class InlineRunner
{
    private readonly InlineOptions _options;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public InlineRunner(InlineOptions options, TextWriter stdout, TextWriter stderr)
    {
        _options = options;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>Blocks until <paramref name="stop"/> is cancelled (SIGINT/SIGTERM) and the run is complete.</summary>
    public int Run(CancellationToken stop)
    {
        if (SessionSetup.TryLoad(_options.RulesPath, _options.RuleVariables, _options.PluginsPath, _options.KeysPath, _stderr, out RuleSet rules, out PluginSet plugins, out PipelineOptions pipelineOptions) is int failed)
        {
            return failed;
        }

        SensorSession session;
        try
        {
            session = new SensorSession(new SessionSettings { EvePath = _options.EvePath, WriteInnerPath = _options.WriteInnerPath, MetricsListen = _options.MetricsListen, Rules = rules, Pipeline = pipelineOptions, Workers = _options.Workers, Concurrent = true });
        }
        catch (OutputException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
            return ExitCodes.Usage;
        }
        if (session.Eve is not null)
        {
            session.Eve.Blocking = true;
        }

        var ports = new List<InlinePort>(2);
        try
        {
            ports.Add(InlinePort.Open(_options.In, _options.BufferSize));
            ports.Add(InlinePort.Open(_options.Out, _options.BufferSize));
            session.StartMetrics();
        }
        catch (CaptureException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
            Close(session, ports, null);
            return e.ExitCode;
        }
        catch (MetricsException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
            Close(session, ports, null);
            return ExitCodes.Usage;
        }

        var bridge = new InlineBridge(session.Workers, session.Sources, ports[0], ports[1], _options, session.Metrics) { Tick = session.FlushEve };
        session.Metrics?.AddSource(bridge);
        // Before the start line: once it is out, SIGHUP reloads instead of ending the process.
        using var reload = new RulesReload(session, RuleLoader.DefaultPath(_options.RulesPath), _options.RuleVariables, _options.PluginsPath, plugins, _stderr);
        reload.Listen();
        if (!_options.Quiet)
        {
            _stderr.WriteLine($"visibility: bridging {_options.In} <-> {_options.Out} ({(_options.FailClosed ? "fail-closed" : "fail-open")}, verdict timeout {_options.VerdictTimeout.TotalMilliseconds:0.###} ms{(_options.Workers > 1 ? $", {_options.Workers} engines" : string.Empty)})"
                + (session.Metrics is null ? string.Empty : $"; metrics on http://{session.Metrics.Listen}/metrics")
                + "; SIGHUP reloads the rules, SIGINT or SIGTERM stops");
        }
        var clock = Stopwatch.StartNew();
        bridge.Run(stop);
        clock.Stop();
        reload.Dispose();

        CaptureStatistics[] statistics = [ports[0].ReadStatistics(), ports[1].ReadStatistics()];
        session.Complete();
        foreach (InlineDirection direction in bridge.Directions)
        {
            if (direction.FirstEngineError is { } error)
            {
                _stderr.WriteLine($"visibility: warning: the engine failed on {direction.EngineErrors} frame(s) from {ports[direction.Index].Name}, first: {error.GetType().Name}: {error.Message}");
            }
        }
        if (bridge.EngineFailure is not null)
        {
            _stderr.WriteLine($"visibility: error: inspection stopped: {bridge.EngineFailure.Message}");
        }
        bool captureFailed = false;
        foreach (InlinePort port in ports)
        {
            if (port.CaptureError is { } captureError)
            {
                _stderr.WriteLine($"visibility: error: {port.Name}: {captureError}");
                captureFailed = true;
            }
        }
        if (!_options.Quiet)
        {
            TextWriter target = _options.EvePath == "-" ? _stderr : _stdout;
            if (_options.Summary == SummaryFormat.Json)
            {
                InlineSummary.WriteJson(target, session, bridge, statistics, clock.Elapsed);
            }
            else
            {
                InlineSummary.WriteText(target, session, bridge, statistics, clock.Elapsed);
            }
        }
        Close(session, ports, bridge);
        return bridge.EngineFailure is null && !captureFailed ? ExitCodes.Success : ExitCodes.InputError;
    }

    private static void Close(SensorSession session, List<InlinePort> ports, InlineBridge? bridge)
    {
        foreach (InlinePort port in ports)
        {
            port.Dispose();
        }
        // The metrics endpoint goes before the bridge it reads.
        session.Dispose();
        bridge?.Dispose();
    }
}
