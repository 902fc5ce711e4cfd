using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Visibility.Cli.Capture;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Cli.Rules;
using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Service;

/// <summary>The service's capture loop: live interfaces (until stopped) or capture files (replayed once; the
/// service then keeps serving metrics until stopped). On stop it drains, ends open flows, writes the stats record
/// and flushes EVE before the host exits.</summary>
/// <remarks>The pipeline runs on a dedicated thread, never on the thread pool. A start failure (interface, EVE
/// file, metrics address) is logged in one line and stops the host with a non-zero exit code.</remarks>
internal sealed partial class CaptureWorker : BackgroundService
{
    private readonly ServiceOptions _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly WorkerHeartbeat _heartbeat;
    private readonly ILogger<CaptureWorker> _logger;
    private readonly ReloadHook _reload;
    private readonly Lock _reloadLock = new();
    private PluginSet _plugins = PluginSet.Empty;

    public CaptureWorker(IOptions<ServiceOptions> options, IHostApplicationLifetime lifetime, WorkerHeartbeat heartbeat, ReloadHook reload, ILogger<CaptureWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reload);
        _options = options.Value;
        _lifetime = lifetime;
        _heartbeat = heartbeat;
        _logger = logger;
        _reload = reload;
        if (_options.Rules.Path is null && _options.Plugins.Path is null)
        {
            reload.Register(() => LogReloadNothing(_logger));
        }
    }

    /// <summary>The process exit code this worker asks for (0 unless it failed).</summary>
    public int ExitCode { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ExitCode = Run(stoppingToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogFailure(_logger, e.Message);
                ExitCode = ExitCodes.InputError;
            }
            finally
            {
                done.SetResult();
                if (ExitCode != ExitCodes.Success)
                {
                    _lifetime.StopApplication();
                }
            }
        })
        {
            Name = "visibility-processing",
            IsBackground = true,
        };
        thread.Start();
        return done.Task;
    }

    private int Run(CancellationToken stop)
    {
        var settings = new SessionSettings
        {
            EvePath = _options.Eve.Path,
            EveRotateBytes = _options.Eve.RotateBytes,
            EveRotateKeep = _options.Eve.RotateKeep,
            MetricsListen = _options.Metrics.Listen is string listen && ListenAddress.TryParse(listen, out ListenAddress address, out _) ? address : null,
            Pipeline = new PipelineOptions
            {
                FlowCapacity = _options.Flows.Capacity,
                FlowTimeout = TimeSpan.FromSeconds(_options.Flows.TimeoutSeconds),
            },
            Workers = _options.Visibility.Workers,
            SourceNames = _options.Visibility.Interfaces.Count > 0 ? _options.Visibility.Interfaces : _options.Visibility.Files,
        };
        if (_options.Rules.Path is not null || _options.Plugins.Path is not null)
        {
            RuleLoader.Inspection loaded;
            try
            {
                loaded = RuleLoader.LoadAll(_options.Rules.Path, [], _options.Plugins.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFailure(_logger, $"{(e is DirectoryNotFoundException && _options.Plugins.Path is not null ? "Plugins:Path" : "Rules:Path")}: {e.Message}");
                return ExitCodes.InputError;
            }
            foreach (string error in loaded.RuleErrors)
            {
                LogFailure(_logger, $"Rules:Path: rule skipped: {error}");
            }
            if (loaded.PluginErrors.Count > 0)
            {
                loaded.Plugins.Unload();
                foreach (string error in loaded.PluginErrors)
                {
                    LogFailure(_logger, $"Plugins:Path: plugin refused: {error}");
                }
                return ExitCodes.InputError;
            }
            if (_options.Plugins.Path is string pluginsPath)
            {
                LogPlugins(_logger, loaded.Plugins.Inspectors.Count, loaded.Plugins.Files.Count, pluginsPath);
            }
            _plugins = loaded.Plugins;
            settings = settings with { Rules = loaded.RuleSet };
        }
        SensorSession session;
        try
        {
            session = new SensorSession(settings);
        }
        catch (OutputException e)
        {
            LogFailure(_logger, $"Eve:Path: {e.Message}");
            return ExitCodes.Usage;
        }
        using (session)
        {
            try
            {
                session.StartMetrics();
            }
            catch (MetricsException e)
            {
                LogFailure(_logger, $"Metrics:Listen: {e.Message}");
                return ExitCodes.Usage;
            }
            if (session.Metrics is not null)
            {
                LogMetrics(_logger, session.Metrics.Listen.ToString());
            }
            RulesWatcher? watcher = null;
            if (_options.Rules.Path is not null || _options.Plugins.Path is not null)
            {
                _reload.Register(() => ReloadRules(session));
            }
            if ((_options.Rules.Path is not null || _options.Plugins.Path is not null) && _options.Rules.WatchDelayMilliseconds > 0)
            {
                watcher = new RulesWatcher(_options.Rules.Path, _options.Plugins.Path, TimeSpan.FromMilliseconds(_options.Rules.WatchDelayMilliseconds),
                    changed =>
                    {
                        LogChanged(_logger, changed);
                        ReloadRules(session);
                    });
            }
            using RulesWatcher? watching = watcher;
            int exit = _options.Visibility.Interfaces.Count > 0 ? RunLive(session, stop) : RunFiles(session, stop);
            session.Complete();
            LogStopped(_logger, session.Counters.Packets, session.Summary.FlowRecords, session.EveRecords);
            return exit;
        }
    }

    private int RunLive(SensorSession session, CancellationToken stop)
    {
        InputSection input = _options.Visibility;
        var capture = new LiveCaptureOptions
        {
            Interfaces = input.Interfaces,
            Bpf = input.Bpf,
            Snaplen = input.Snaplen,
            BufferSize = input.BufferSize,
            Promiscuous = input.Promiscuous,
        };
        var sources = new List<ICaptureSource>();
        try
        {
            foreach (string name in input.Interfaces)
            {
                sources.Add(LivePcapSource.Open(name, capture));
            }
            var processor = new CaptureProcessor(session, sources, session.Sources)
            {
                Tick = () =>
                {
                    session.FlushEve();
                    _heartbeat.Beat();
                },
            };
            session.Metrics?.AddSource(processor);
            LogCapturing(_logger, string.Join(", ", input.Interfaces));
            processor.Run(stop);
            foreach ((string name, CaptureStatistics s) in processor.ReadStatistics())
            {
                LogInterface(_logger, name, s.Received, s.KernelDropped, s.InterfaceDropped, s.RingOverflows);
            }
            return ExitCodes.Success;
        }
        catch (CaptureException e)
        {
            LogFailure(_logger, $"Visibility:Interfaces: {e.Message}");
            return e.ExitCode;
        }
        finally
        {
            foreach (ICaptureSource source in sources)
            {
                source.Dispose();
            }
        }
    }

    private int RunFiles(SensorSession session, CancellationToken stop)
    {
        int exit = ExitCodes.Success;
        for (int index = 0; index < _options.Visibility.Files.Count; index++)
        {
            string file = _options.Visibility.Files[index];
            if (stop.IsCancellationRequested)
            {
                break;
            }
            session.BeginSource(file);
            _heartbeat.Beat();
            string? error = PcapFileSource.Replay(file, session, index, session.Sources, stop);
            if (error is not null)
            {
                LogFileError(_logger, file, error);
                exit = ExitCodes.InputError;
            }
        }
        // Several workers hold the last frames back until input goes quiet: it has.
        session.Idle();
        session.FlushEve();
        var read = new List<(string Name, long Packets, long Bytes)>();
        session.Sources.Read(read);
        LogFilesDone(_logger, _options.Visibility.Files.Count, read.Sum(r => r.Packets));
        // Files are done; keep serving metrics (and the watchdog) until the service is stopped.
        while (!stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
        {
            session.Idle();
            session.FlushEve();
            _heartbeat.Beat();
        }
        return exit;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogFailure(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "rules reloaded: {Count} rules, {Inspectors} plugin inspector(s) from {Path}")]
    private static partial void LogRulesReloaded(ILogger logger, int count, int inspectors, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "serving metrics on http://{Listen}/metrics")]
    private static partial void LogMetrics(ILogger logger, string listen);

    [LoggerMessage(Level = LogLevel.Information, Message = "capturing on {Interfaces}")]
    private static partial void LogCapturing(ILogger logger, string interfaces);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}: received {Received}, kernel drops {KernelDropped}, interface drops {InterfaceDropped}, ring overflows {RingOverflows}")]
    private static partial void LogInterface(ILogger logger, string @interface, long received, long kernelDropped, long interfaceDropped, long ringOverflows);

    [LoggerMessage(Level = LogLevel.Error, Message = "{File}: {Error}")]
    private static partial void LogFileError(ILogger logger, string file, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "replayed {Files} file(s), {Packets} packets; running until stopped")]
    private static partial void LogFilesDone(ILogger logger, int files, long packets);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped: {Packets} packets, {Flows} flows, {Records} EVE records written")]
    private static partial void LogStopped(ILogger logger, long packets, long flows, long records);

    [LoggerMessage(Level = LogLevel.Information, Message = "reload: nothing to reload yet (no rules or keys loaded)")]
    private static partial void LogReloadNothing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "plugins loaded: {Inspectors} inspector(s) from {Assemblies} assembly(ies) in {Path}")]
    private static partial void LogPlugins(ILogger logger, int inspectors, int assemblies, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "rules changed on disk ({Path}): reloading")]
    private static partial void LogChanged(ILogger logger, string path);

    /// <summary>SIGHUP or a change on disk: recompile the rules and plugins and swap them in between two packets. A
    /// rule file with errors, or a plugin refused, leaves the rules in force and says why. Serialised: a signal and
    /// a file change may arrive together.</summary>
    private void ReloadRules(SensorSession session)
    {
        lock (_reloadLock)
        {
            string what = _options.Rules.Path ?? _options.Plugins.Path!;
            try
            {
                RuleLoader.Inspection loaded = RuleLoader.LoadAll(_options.Rules.Path, [], _options.Plugins.Path);
                if (loaded.HasErrors)
                {
                    loaded.Plugins.Unload();
                    string reasons = string.Join("; ", loaded.RuleErrors.Concat(loaded.PluginErrors.Select(e => $"plugin {e}")));
                    LogFailure(_logger, $"{(loaded.RuleErrors.Count > 0 ? "Rules:Path" : "Plugins:Path")}: reload refused, the rules in force stay: {reasons}");
                    return;
                }
                session.SwapRules(loaded.RuleSet);
                PluginSet old = _plugins;
                _plugins = loaded.Plugins;
                old.Unload();
                LogRulesReloaded(_logger, loaded.RuleCount, loaded.Plugins.Inspectors.Count, what);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFailure(_logger, $"Rules:Path: reload refused, the rules in force stay: {e.Message}");
            }
        }
    }
}
