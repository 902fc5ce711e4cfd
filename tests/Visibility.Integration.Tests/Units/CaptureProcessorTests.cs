using System.Buffers.Binary;
using Visibility.Cli.Capture;
using Visibility.Cli.Metrics;
using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;
using Visibility.Wire;

namespace Visibility.Integration.Tests.Units;

public sealed class CaptureProcessorTests
{
    private const int FramesPerSource = 2000;

    [Fact]
    public void CaptureProcessor_StopRequested_DrainsEveryRingIntoThePipeline()
    {
        var pipeline = new PacketPipeline(new PipelineOptions(), NullEventSink.Instance);
        var totals = new PacketSourceTotals(pipeline.Counters);
        FakeSource[] sources = [new("eth0"), new("eth1")];
        var processor = new CaptureProcessor(pipeline, sources, totals);
        Fill(sources[0], 0);
        Fill(sources[1], 1);

        processor.Run(new CancellationToken(canceled: true));

        Assert.All(sources, s => Assert.True(s.Started && s.Stopped && s.Ring.IsEmpty));
        Assert.Equal(2 * FramesPerSource, pipeline.Counters.Packets);
        Assert.Equal(2 * FramesPerSource, pipeline.Counters.Udp);
        var read = new List<(string Name, long Packets, long Bytes)>();
        totals.Read(read);
        Assert.Equal([("eth0", FramesPerSource, FramesPerSource * 60L), ("eth1", FramesPerSource, FramesPerSource * 60L)], read);
    }

    [Fact]
    public void CaptureProcessor_SteadyState_AllocatesNothingPerFrame()
    {
        var pipeline = new PacketPipeline(new PipelineOptions(), NullEventSink.Instance);
        var totals = new PacketSourceTotals(pipeline.Counters);
        var source = new FakeSource("eth0");
        var processor = new CaptureProcessor(pipeline, [source], totals);
        Fill(source, 0);
        processor.Run(new CancellationToken(canceled: true));

        // Second pass over the same flows: rings, pipeline and totals are warm.
        Fill(source, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        processor.Run(new CancellationToken(canceled: true));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2 * FramesPerSource, pipeline.Counters.Packets);
        Assert.Equal(0, allocated);
    }

    private static void Fill(FakeSource source, int index)
    {
        for (int i = 0; i < FramesPerSource; i++)
        {
            Assert.True(source.Ring.TryWrite(UdpFrame(index, (ushort)(1024 + (i % 50))), 60, 1_700_000_000_000_000_000 + (i * 1000L)));
        }
    }

    /// <summary>Ethernet + IPv4 + UDP, 60 bytes, 192.0.2.1 -> 192.0.2.(2+index), source port varying.</summary>
    private static byte[] UdpFrame(int index, ushort sourcePort)
    {
        byte[] frame = new byte[60];
        // 0: destination MAC, 6: source MAC, 12: EtherType IPv4
        frame[0] = 0x02;
        frame[6] = 0x02;
        frame[11] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        // 14: IPv4, IHL 5, total length 46, TTL 64, protocol 17
        frame[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 46);
        frame[22] = 64;
        frame[23] = 17;
        byte[] source = [192, 0, 2, 1];
        byte[] destination = [192, 0, 2, (byte)(2 + index)];
        source.CopyTo(frame, 26);
        destination.CopyTo(frame, 30);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(24), Checksum(frame.AsSpan(14, 20)));
        // 34: UDP, length 26, checksum 0 (none)
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(36), 9999);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(38), 26);
        return frame;
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    private sealed class FakeSource(string name) : ICaptureSource
    {
        public string Name { get; } = name;

        public LinkType LinkType => LinkType.Ethernet;

        public FrameRing Ring { get; } = new(1 << 20);

        public bool Started { get; private set; }

        public bool Stopped { get; private set; }

        public void Start() => Started = true;

        public void Stop() => Stopped = true;

        public CaptureStatistics ReadStatistics() => new(Ring.Frames, 0, 0, Ring.Overflows);

        public void Dispose()
        {
        }
    }
}
