using System.Diagnostics;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Cli.Replay;
using Visibility.Cli.Rules;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Capture;

/// <summary>Runs <c>visibility live</c>: opens the interfaces, processes frames on a dedicated thread until
/// <c>stop</c>, then drains, ends open flows, writes the stats record, flushes EVE and prints the summary.</summary>
internal sealed class LiveRunner
{
    private readonly LiveOptions _options;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public LiveRunner(LiveOptions options, TextWriter stdout, TextWriter stderr)
    {
        _options = options;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>Blocks until <paramref name="stop"/> is cancelled (SIGINT/SIGTERM) and the run is complete.</summary>
    public int Run(CancellationToken stop)
    {
        if (SessionSetup.TryLoad(_options.RulesPath, _options.RuleVariables, _options.PluginsPath, _options.KeysPath, _stderr, out RuleSet rules, out PluginSet plugins, out PipelineOptions pipeline) is int failed)
        {
            return failed;
        }

        SensorSession session;
        try
        {
            session = new SensorSession(new SessionSettings
            {
                EvePath = _options.EvePath,
                WriteInnerPath = _options.WriteInnerPath,
                MetricsListen = _options.MetricsListen,
                Pipeline = pipeline,
                Rules = rules,
                Workers = _options.Workers,
                SourceNames = _options.Capture.Interfaces,
            });
        }
        catch (OutputException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
            return ExitCodes.Usage;
        }

        var sources = new List<ICaptureSource>();
        try
        {
            foreach (string name in _options.Capture.Interfaces)
            {
                sources.Add(LivePcapSource.Open(name, _options.Capture));
            }
            session.StartMetrics();
        }
        catch (CaptureException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
            Close(session, sources);
            return e.ExitCode;
        }
        catch (MetricsException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
            Close(session, sources);
            return ExitCodes.Usage;
        }

        var processor = new CaptureProcessor(session, sources, session.Sources) { Tick = session.FlushEve };
        session.Metrics?.AddSource(processor);
        // Before the start line: once it is out, SIGHUP reloads instead of ending the process.
        using var reload = new RulesReload(session, RuleLoader.DefaultPath(_options.RulesPath), _options.RuleVariables, _options.PluginsPath, plugins, _stderr);
        reload.Listen();
        if (!_options.Quiet)
        {
            _stderr.WriteLine($"visibility: capturing on {string.Join(", ", _options.Capture.Interfaces)}"
                + (_options.Workers > 1 ? $" with {_options.Workers} workers" : string.Empty)
                + (session.Metrics is null ? string.Empty : $"; metrics on http://{session.Metrics.Listen}/metrics")
                + "; SIGHUP reloads the rules, SIGINT or SIGTERM stops");
        }
        var clock = Stopwatch.StartNew();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                processor.Run(stop);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = e;
            }
        })
        {
            Name = "visibility-processing",
            IsBackground = false,
        };
        thread.Start();
        thread.Join();
        clock.Stop();
        reload.Dispose();

        IReadOnlyList<(string Name, CaptureStatistics Statistics)> statistics = processor.ReadStatistics();
        session.Complete();
        if (failure is not null)
        {
            _stderr.WriteLine($"visibility: error: capture failed: {failure.Message}");
        }
        if (!_options.Quiet)
        {
            TextWriter target = _options.EvePath == "-" ? _stderr : _stdout;
            if (_options.Summary == SummaryFormat.Json)
            {
                LiveSummary.WriteJson(target, session, statistics, clock.Elapsed);
            }
            else
            {
                LiveSummary.WriteText(target, session, statistics, clock.Elapsed);
            }
        }
        Close(session, sources);
        return failure is null ? ExitCodes.Success : ExitCodes.InputError;
    }

    private static void Close(SensorSession session, List<ICaptureSource> sources)
    {
        foreach (ICaptureSource source in sources)
        {
            source.Dispose();
        }
        session.Dispose();
    }
}
