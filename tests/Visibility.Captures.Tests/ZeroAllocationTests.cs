using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests;

/// <summary>The hot path allocates nothing: replaying captures a second time in the same process allocates 0 bytes on
/// the processing thread (reading from memory; EVE writing excluded).</summary>
public sealed class ZeroAllocationTests
{
    public static TheoryData<string> Captures() => new(RepositoryPaths.AllCaptures());

    [Theory]
    [MemberData(nameof(Captures))]
    public void SecondReplay_AllocatesNothing(string capture)
    {
        byte[] file = File.ReadAllBytes(RepositoryPaths.Capture(capture));
        var pipeline = new PacketPipeline(new PipelineOptions(), NullEventSink.Instance);
        var stream = new MemoryStream(file, writable: false);
        // Two warm-up passes: pools fill and the JIT's tiering settles (its call-counting can allocate on this thread).
        for (int warm = 0; warm < 2; warm++)
        {
            using CaptureFileReader warmReader = CaptureFileReader.Open(new MemoryStream(file, writable: false));
            Replay(warmReader, pipeline);
            pipeline.Finish();
            pipeline.Reset();
        }

        stream.Position = 0;
        using CaptureFileReader reader = CaptureFileReader.Open(stream);
        // Per-file setup (pcapng interface descriptions) happens at the first record; the per-packet path is what
        // must not allocate, so measuring starts after it.
        if (reader.TryReadNext(out CaptureRecord first))
        {
            pipeline.Process(first.Data, first.OriginalLength, first.TimestampNanoseconds, first.LinkType, first.FrameNumber);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        Replay(reader, pipeline);
        pipeline.Finish();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(pipeline.Counters.Packets > 0);
        Assert.Equal(0, allocated);
    }

    private static void Replay(CaptureFileReader reader, PacketPipeline pipeline)
    {
        try
        {
            while (reader.TryReadNext(out CaptureRecord record))
            {
                pipeline.Process(record.Data, record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber);
            }
        }
        catch (CaptureFileException)
        {
            // Damaged files end early; what was read counts.
        }
    }
}
