using BenchmarkDotNet.Attributes;
using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;
using Visibility.Tests.Shared;
using Visibility.Wire.Pcap;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>The whole per-packet path (decode, reassemble, flow, handlers) over the frames of the default capture,
/// held in memory, without EVE output.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private readonly List<(byte[] Data, int Length, long Time, LinkType Link)> _frames = [];
    private PacketPipeline _pipeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        string root = RepositoryRoot.Path;
        using var reader = CaptureFileReader.Open(File.OpenRead(Path.Combine(root, "captures", "public", "nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap")));
        while (reader.TryReadNext(out CaptureRecord r))
        {
            _frames.Add((r.Data.ToArray(), r.OriginalLength, r.TimestampNanoseconds, r.LinkType));
        }
        _pipeline = new PacketPipeline(new PipelineOptions(), NullEventSink.Instance);
    }

    /// <summary>One pass over all frames; divide by <see cref="Frames"/> for the per-packet cost.</summary>
    [Benchmark(Baseline = true)]
    public long ReplayDefaultCapture()
    {
        _pipeline.Reset();
        long n = 0;
        foreach ((byte[] data, int length, long time, LinkType link) in _frames)
        {
            _pipeline.Process(data, length, time, link, ++n);
        }
        _pipeline.Finish();
        return _pipeline.Counters.Packets;
    }

    public int Frames => _frames.Count;
}
