using System.Diagnostics;
using Spectre.Console;
using Visibility.Cli.Capture;
using Visibility.Cli.Eve;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Cli.Rules;
using Visibility.Engine.Events;
using Visibility.Engine.Inspection;
using Visibility.Engine.Ike;
using Visibility.Engine.Pipeline;
using Visibility.Wire.Pcap;

namespace Visibility.Cli.Replay;

/// <summary>Runs capture files through one pipeline, in order, on the calling thread (deterministic output).</summary>
internal sealed class ReplayRunner
{
    private const int ProgressEvery = 1 << 14;
    private readonly ReplayOptions _options;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public ReplayRunner(ReplayOptions options, TextWriter stdout, TextWriter stderr)
    {
        _options = options;
        _stdout = stdout;
        _stderr = stderr;
    }

    public int Run()
    {
        foreach (string file in _options.Files)
        {
            string? problem = InputProblem(file);
            if (problem is not null)
            {
                _stderr.WriteLine($"visibility: error: {file}: {problem}");
                return ExitCodes.InputError;
            }
        }

        RuleSet ruleSet;
        try
        {
            ruleSet = RuleLoader.Compile(_options.RulesPath, _options.RuleVariables, error => _stderr.WriteLine($"visibility: warning: rule skipped: {error}"), _options.PluginsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _stderr.WriteLine($"visibility: error: rules: {e.Message}");
            return ExitCodes.InputError;
        }

        KeyLoader.Keys? keys = null;
        if (_options.KeysPath is not null)
        {
            try
            {
                keys = KeyLoader.Load(_options.KeysPath);
            }
            catch (Wire.Ike.Keys.KeyFileException e)
            {
                _stderr.WriteLine($"visibility: error: {e.Message}");
                return ExitCodes.InputError;
            }
            foreach (string warning in keys.Warnings)
            {
                _stderr.WriteLine($"visibility: warning: {warning}");
            }
        }

        EveWriter? eve;
        try
        {
            eve = OpenEve(_options.EvePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _stderr.WriteLine($"visibility: error: cannot write EVE output '{_options.EvePath}': {e.Message}");
            return ExitCodes.Usage;
        }

        InnerPacketWriter? inner = null;
        if (_options.WriteInnerPath is not null)
        {
            try
            {
                inner = new InnerPacketWriter(new FileStream(_options.WriteInnerPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                eve?.Dispose();
                _stderr.WriteLine($"visibility: error: cannot write inner packets to '{_options.WriteInnerPath}': {e.Message}");
                return ExitCodes.Usage;
            }
        }

        var summary = new SummaryCollector();
        var sinks = new List<IEventSink> { summary };
        if (eve is not null)
        {
            sinks.Insert(0, eve);
        }
        if (inner is not null)
        {
            sinks.Add(inner);
        }
        IEventSink sink = sinks.Count == 1 ? summary : new FanOutSink([.. sinks]);
        var pipelineOptions = keys is null
            ? new PipelineOptions()
            : new PipelineOptions { Ike = new IkeTrackerOptions { IkeKeys = keys.Ike, EspKeys = keys.Esp } };
                var pipeline = new PacketPipeline(pipelineOptions, sink) { Rules = ruleSet };
        var sources = new PacketSourceTotals(pipeline.Counters);
        using MetricsExporter? metrics = _options.MetricsListen is null ? null : new MetricsExporter(_options.MetricsListen, pipeline, sources);
        try
        {
            metrics?.Start();
        }
        catch (MetricsException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
            eve?.Dispose();
            inner?.Dispose();
            return ExitCodes.Usage;
        }
        var errors = new List<string>();
        long first = 0;
        var clock = Stopwatch.StartNew();

        bool showProgress = !_options.Quiet && !Console.IsErrorRedirected && _options.EvePath != "-";
        foreach (string file in _options.Files)
        {
            if (eve is not null)
            {
                eve.SourceName = file;
            }
            pipeline.SourceName = file;
            sources.BeginFile(file);
            string? error = showProgress ? ReplayWithProgress(file, pipeline, ref first) : ReplayFile(file, pipeline, null, ref first);
            sources.EndFile();
            if (error is not null)
            {
                errors.Add(error);
                _stderr.WriteLine($"visibility: error: {file}: {error}");
            }
        }

        pipeline.Finish();
        clock.Stop();
        eve?.WriteStats(pipeline.Now, pipeline.Counters, pipeline.Defrag);
        eve?.Dispose();
        inner?.Dispose();

        if (!_options.Quiet)
        {
            var run = new RunStatistics(_options.Files, first, pipeline.Now, clock.Elapsed, eve?.Records ?? 0, errors) { Rules = ruleSet.Count };
            TextWriter target = _options.EvePath == "-" ? _stderr : _stdout;
            if (_options.Summary == SummaryFormat.Json)
            {
                JsonSummary.Write(target, run, pipeline.Counters, summary);
            }
            else
            {
                TextSummary.Write(target, run, pipeline.Counters, summary);
            }
        }
        if (metrics is not null && _options.Hold)
        {
            HoldUntilSignal(metrics);
        }
        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.InputError;
    }

    private void HoldUntilSignal(MetricsExporter metrics)
    {
        using var signals = new StopSignals();
        if (!_options.Quiet)
        {
            _stderr.WriteLine($"visibility: serving metrics on http://{metrics.Listen}/metrics until SIGINT or SIGTERM");
        }
        signals.Token.WaitHandle.WaitOne();
    }

    private static string? InputProblem(string file)
    {
        if (Directory.Exists(file))
        {
            return "is a directory, not a capture file";
        }
        if (!File.Exists(file))
        {
            return "no such file";
        }
        return null;
    }

    private static EveWriter? OpenEve(string? path)
    {
        if (path is null)
        {
            return null;
        }
        if (path == "-")
        {
            return new EveWriter(new BufferedStream(Console.OpenStandardOutput(), 1 << 16), ownsStream: true);
        }
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        return new EveWriter(stream, ownsStream: true);
    }

    private string? ReplayWithProgress(string file, PacketPipeline pipeline, ref long first)
    {
        string? error = null;
        long firstSeen = first;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_stderr) });
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Path.GetFileName(file), maxValue: Math.Max(1, new FileInfo(file).Length));
                error = ReplayFile(file, pipeline, position => task.Value = position, ref firstSeen);
                task.Value = task.MaxValue;
            });
        first = firstSeen;
        return error;
    }

    /// <summary>Reads one file to its end or to its first damage. Returns a one-line error, or null.</summary>
    private static string? ReplayFile(string file, PacketPipeline pipeline, Action<double>? progress, ref long first)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot open: {e.Message}";
        }

        try
        {
            using CaptureFileReader reader = CaptureFileReader.Open(stream);
            while (reader.TryReadNext(out CaptureRecord record))
            {
                if (first == 0)
                {
                    first = record.TimestampNanoseconds;
                }
                pipeline.Process(record.Data, record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber);
                if (progress is not null && (record.FrameNumber & (ProgressEvery - 1)) == 0)
                {
                    progress(stream.Position);
                }
            }
            return null;
        }
        catch (CaptureFileException e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            return $"read error: {e.Message}";
        }
        finally
        {
            stream.Dispose();
        }
    }
}
