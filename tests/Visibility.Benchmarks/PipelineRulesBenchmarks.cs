using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Visibility.Cli.Rules;
using Visibility.Engine.Events;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Tests.Shared;
using Visibility.Wire.Pcap;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>What rules add to the whole per-packet path: the first <see cref="FrameCount"/> frames of a benchmark
/// capture held in memory, replayed without EVE output under no rules, the 16-rule benchmark set, the shipped pack,
/// and 1,000 / 10,000 generated content rules. The difference to <c>none</c>, divided by the frame count, is the
/// rule cost per packet.</summary>
/// <remarks>The capture is named by the <c>VISIBILITY_BENCH_PCAP</c> environment variable (default
/// <c>/tmp/benchdata/bench.pcap</c>); the generated sets come from <c>Rules/generate-rules.py</c>, run here.</remarks>
[MemoryDiagnoser]
public class PipelineRulesBenchmarks
{
    private const int FrameCount = 200_000;

    private readonly List<(byte[] Data, int Length, long Time, LinkType Link)> _frames = [];
    private PacketPipeline _pipeline = null!;

    [Params("none", "bench16", "shipped", "1k", "10k")]
    public string RuleSet { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        string root = RepositoryRoot.Path;
        string capture = Environment.GetEnvironmentVariable("VISIBILITY_BENCH_PCAP") ?? "/tmp/benchdata/bench.pcap";
        using (var reader = CaptureFileReader.Open(File.OpenRead(capture)))
        {
            while (_frames.Count < FrameCount && reader.TryReadNext(out CaptureRecord r))
            {
                _frames.Add((r.Data.ToArray(), r.OriginalLength, r.TimestampNanoseconds, r.LinkType));
            }
        }
        string rulesFolder = Path.Combine(root, "tests", "Visibility.Benchmarks", "Rules");
        string? path = RuleSet switch
        {
            "none" => null,
            "bench16" => Path.Combine(rulesFolder, "bench16.rules"),
            "shipped" => Path.Combine(root, "rules"),
            _ => Generate(rulesFolder, RuleSet == "1k" ? 1_000 : 10_000),
        };
        _pipeline = new PacketPipeline(new PipelineOptions(), NullEventSink.Instance);
        if (path is not null)
        {
            _pipeline.Rules = RuleLoader.Compile(path, [], message => throw new InvalidOperationException(message));
        }
    }

    /// <summary>One pass over the frames; divide by the frame count for the per-packet cost.</summary>
    [Benchmark]
    public long Replay()
    {
        _pipeline.Reset();
        long n = 0;
        foreach ((byte[] data, int length, long time, LinkType link) in _frames)
        {
            _pipeline.Process(data, length, time, link, ++n);
        }
        _pipeline.Finish();
        return _pipeline.Counters.Alerts;
    }

    private static string Generate(string rulesFolder, int count)
    {
        string file = Path.Combine(Path.GetTempPath(), $"visibility-bench-{count}.rules");
        var start = new ProcessStartInfo("python3", [Path.Combine(rulesFolder, "generate-rules.py"), count.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("python3 not found");
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        File.WriteAllText(file, text);
        return file;
    }
}
