using System.Text;
using System.Text.Json;
using Visibility.Cli.Capture;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests;

/// <summary><see cref="SensorSession"/> in concurrent mode (the inline bridge's engines): workers run by threads of
/// the caller's, each writing its records as they happen, give the records of one direct worker (as a set: the order
/// across workers is not kept), every EVE line and every inner-packet record whole.</summary>
public sealed class SensorSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-session-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("synthetic/esp/mix-110.pcap")]
    [InlineData("public/tcpdump__tests__ikev2four.pcap")]
    [InlineData("synthetic/esp/null-fragments.pcap")]
    public void Concurrent_TwoWorkersOnTwoThreads_SameRecordsEachWhole(string capture)
    {
        List<Frame> frames = Read(RepositoryPaths.Capture(capture));
        (string[] directEve, List<byte[]> directInner, long directPackets) = Run(frames, workers: 1, "direct");
        (string[] concurrentEve, List<byte[]> concurrentInner, long concurrentPackets) = Run(frames, workers: 2, "concurrent");

        Assert.Equal(frames.Count, directPackets);
        Assert.Equal(directPackets, concurrentPackets);
        Assert.Equal("stats", EventType(concurrentEve[^1]));
        Assert.Equal(Sorted(directEve[..^1]), Sorted(concurrentEve[..^1]));
        List<long> flowIds = concurrentEve.Where(l => EventType(l) == "flow").Select(FlowId).ToList();
        Assert.NotEmpty(flowIds);
        Assert.Equal(flowIds.Count, flowIds.Distinct().Count());
        Assert.Equal(StatsCounters(directEve[^1]), StatsCounters(concurrentEve[^1]));
        Assert.Equal(directInner.Count, concurrentInner.Count);
        Assert.Equal(directInner.Select(Convert.ToHexString).Order(StringComparer.Ordinal), concurrentInner.Select(Convert.ToHexString).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Concurrent_TwoWorkers_FramesOfTheCaptureSpreadOverBoth()
    {
        // The capture used above must actually exercise both workers.
        List<Frame> frames = Read(RepositoryPaths.Capture("synthetic/esp/mix-110.pcap"));
        var key = new ShardKey(2);
        int[] counts = new int[2];
        foreach (Frame f in frames)
        {
            counts[key.WorkerOf(f.Data, f.LinkType, f.OriginalLength)]++;
        }
        Assert.All(counts, c => Assert.True(c > 0));
    }

    [Fact]
    public void Concurrent_ProcessOnTheSession_Refused()
    {
        using var session = new SensorSession(new SessionSettings { Workers = 2, Concurrent = true });
        Assert.Throws<InvalidOperationException>(() => session.Process(new byte[60], 60, 0, LinkType.Ethernet, 1, 0));
        Assert.Throws<InvalidOperationException>(() => session.Pipeline);
    }

    /// <summary>Runs the frames through a session of <paramref name="workers"/>: one worker on this thread, or one
    /// thread per worker, each processing (at the same time as the other) the frames that shard to it.</summary>
    private (string[] Eve, List<byte[]> Inner, long Packets) Run(List<Frame> frames, int workers, string name)
    {
        string eve = Path.Combine(_dir, name + ".json");
        string inner = Path.Combine(_dir, name + ".pcap");
        long packets;
        using (var session = new SensorSession(new SessionSettings { EvePath = eve, WriteInnerPath = inner, Workers = workers, Concurrent = true }))
        {
            var key = new ShardKey(workers);
            using var start = new Barrier(workers);
            var threads = new Thread[workers];
            for (int w = 0; w < workers; w++)
            {
                int worker = w;
                threads[w] = new Thread(() =>
                {
                    var pipeline = session.Workers[worker].Pipeline;
                    start.SignalAndWait();
                    foreach (Frame f in frames)
                    {
                        if (key.WorkerOf(f.Data, f.LinkType, f.OriginalLength) == worker)
                        {
                            // Numbered as the inline bridge numbers frames for several engines: flow ids stay unique.
                            pipeline.Sequence = f.Number;
                            pipeline.Process(f.Data, f.OriginalLength, f.Timestamp, f.LinkType, f.Number);
                        }
                    }
                });
                threads[w].Start();
            }
            foreach (Thread thread in threads)
            {
                thread.Join();
            }
            session.Complete();
            packets = session.Counters.Packets;
        }
        string[] lines = File.ReadAllText(eve, Encoding.UTF8).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (string line in lines)
        {
            // Throws on a line two workers interleaved.
            using JsonDocument _ = JsonDocument.Parse(line);
        }
        var records = new List<byte[]>();
        using (CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(inner)))
        {
            while (reader.TryReadNext(out CaptureRecord record))
            {
                Assert.Equal(LinkType.Raw, record.LinkType);
                records.Add(record.Data.ToArray());
            }
        }
        return (lines, records, packets);
    }

    private static string EventType(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("event_type").GetString()!;
    }

    private static long FlowId(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("flow_id").GetInt64();
    }

    private static string StatsCounters(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("stats").GetRawText();
    }

    private static List<string> Sorted(IEnumerable<string> lines) => lines.Order(StringComparer.Ordinal).ToList();

    private static List<Frame> Read(string path)
    {
        var frames = new List<Frame>();
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(path));
        while (reader.TryReadNext(out CaptureRecord record))
        {
            frames.Add(new Frame(record.Data.ToArray(), record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber));
        }
        return frames;
    }

    private sealed record Frame(byte[] Data, int OriginalLength, long Timestamp, LinkType LinkType, long Number);
}
