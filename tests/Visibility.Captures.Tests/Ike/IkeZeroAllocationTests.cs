using Visibility.Cli.Replay;
using Visibility.Engine.Events;
using Visibility.Engine.Ike;
using Visibility.Engine.Pipeline;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests.Ike;

/// <summary>With keys, the IKE path (decryption, inner parsing, Child SAs, linking, negotiated ESP verdicts) allocates
/// nothing once warm: a second replay of each scenario capture in the same process allocates 0 bytes.</summary>
public sealed class IkeZeroAllocationTests
{
    public static TheoryData<string> Scenarios() => new(["null-sha256", "aes128gcm16", "cookie", "invalid-ke"]);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void SecondReplayWithKeys_AllocatesNothing(string scenario)
    {
        KeyLoader.Keys keys = KeyLoader.Load(RepositoryPaths.Capture($"synthetic/ike/{scenario}"));
        byte[] file = File.ReadAllBytes(RepositoryPaths.Capture($"synthetic/ike/{scenario}/capture.pcap"));
        var pipeline = new PacketPipeline(new PipelineOptions { Ike = new IkeTrackerOptions { IkeKeys = keys.Ike, EspKeys = keys.Esp } }, NullEventSink.Instance);
        for (int warm = 0; warm < 2; warm++)
        {
            using CaptureFileReader warmReader = CaptureFileReader.Open(new MemoryStream(file, writable: false));
            Replay(warmReader, pipeline);
            pipeline.Finish();
            pipeline.Reset();
        }

        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file, writable: false));
        Assert.True(reader.TryReadNext(out CaptureRecord first));
        pipeline.Process(first.Data, first.OriginalLength, first.TimestampNanoseconds, first.LinkType, first.FrameNumber);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Replay(reader, pipeline);
        pipeline.Finish();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(pipeline.Ike.Counters.Decrypted >= 4);
        Assert.Equal(0, allocated);
    }

    private static void Replay(CaptureFileReader reader, PacketPipeline pipeline)
    {
        while (reader.TryReadNext(out CaptureRecord record))
        {
            pipeline.Process(record.Data, record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber);
        }
    }
}
