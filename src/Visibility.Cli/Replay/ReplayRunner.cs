using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spectre.Console;
using Visibility.Cli.Capture;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Wire.Pcap;

namespace Visibility.Cli.Replay;

/// <summary>Runs capture files, in order, through a <see cref="SensorSession"/> with ordered output: the reader is the
/// calling thread, the workers (<c>--workers</c>) process the packets of their address pairs, and EVE, the inner
/// packets and the summary come out the same whatever the number of workers.</summary>
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
        if (SessionSetup.TryLoad(_options.RulesPath, _options.RuleVariables, _options.PluginsPath, _options.KeysPath, _stderr, out RuleSet ruleSet, out PipelineOptions pipelineOptions) is int failed)
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
                Pipeline = pipelineOptions,
                Rules = ruleSet,
                Workers = _options.Workers,
                Ordered = true,
                SourceNames = _options.Files,
            });
        }
        catch (OutputException e)
        {
            _stderr.WriteLine($"visibility: error: {e.Message}");
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
                _stderr.WriteLine($"visibility: error: {e.Message}");
                return ExitCodes.Usage;
            }
            return Replay(session, ruleSet);
        }
    }

    private int Replay(SensorSession session, RuleSet ruleSet)
    {
        var errors = new List<string>();
        long first = 0;
        var clock = Stopwatch.StartNew();
        bool showProgress = !_options.Quiet && !Console.IsErrorRedirected && _options.EvePath != "-";
        for (int index = 0; index < _options.Files.Count; index++)
        {
            string file = _options.Files[index];
            session.BeginSource(file);
            session.Sources.BeginFile(file);
            string? error = showProgress ? ReplayWithProgress(file, index, session, ref first) : ReplayFile(file, index, session, null, ref first);
            session.Sources.EndFile();
            if (error is not null)
            {
                errors.Add(error);
                _stderr.WriteLine($"visibility: error: {file}: {error}");
            }
        }

        session.Complete();
        clock.Stop();

        if (!_options.Quiet)
        {
            var run = new RunStatistics(_options.Files, first, session.Now, clock.Elapsed, session.EveRecords, errors) { Rules = ruleSet.Count };
            TextWriter target = _options.EvePath == "-" ? _stderr : _stdout;
            if (_options.Summary == SummaryFormat.Json)
            {
                JsonSummary.Write(target, run, session.Counters, session.Summary);
            }
            else
            {
                TextSummary.Write(target, run, session.Counters, session.Summary);
            }
        }
        if (session.Metrics is not null && _options.Hold)
        {
            HoldUntilSignal(session.Metrics);
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

    private string? ReplayWithProgress(string file, int index, SensorSession session, ref long first)
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
                error = ReplayFile(file, index, session, position => task.Value = position, ref firstSeen);
                task.Value = task.MaxValue;
            });
        first = firstSeen;
        return error;
    }

    /// <summary>Reads one file to its end or to its first damage. Returns a one-line error, or null.</summary>
    // Runs once for the whole file: compiled fully optimised by the JIT (not precompiled, not left at a lower tier).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ReplayFile(string file, int index, SensorSession session, Action<double>? progress, ref long first)
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
                session.Process(record.Data, record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber, index);
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
