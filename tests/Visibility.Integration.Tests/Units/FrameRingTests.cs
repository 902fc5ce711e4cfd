using System.Buffers.Binary;
using Visibility.Cli.Capture;

namespace Visibility.Integration.Tests.Units;

public sealed class FrameRingTests
{
    [Fact]
    public void FrameRing_WriteThenPeek_ReturnsSameBytesLengthAndTime()
    {
        var ring = new FrameRing(1 << 16);
        byte[] frame = [0x45, 0x00, 0x00, 0x1c, 0xde, 0xad, 0xbe];
        Assert.True(ring.TryWrite(frame, 1500, 1_700_000_000_123_456_789));
        Assert.True(ring.TryPeek(out ReadOnlySpan<byte> read, out int originalLength, out long timestamp));
        Assert.Equal(frame, read.ToArray());
        Assert.Equal(1500, originalLength);
        Assert.Equal(1_700_000_000_123_456_789, timestamp);
        ring.Release();
        Assert.False(ring.TryPeek(out _, out _, out _));
        Assert.True(ring.IsEmpty);
    }

    [Fact]
    public void FrameRing_Full_CountsOverflowAndKeepsOlderFrames()
    {
        var ring = new FrameRing(1 << 16);
        byte[] frame = new byte[1000];
        int written = 0;
        while (ring.TryWrite(frame, frame.Length, written))
        {
            written++;
        }
        // 16-byte header + 1000 bytes padded to 1008: 65536 / 1024 = 64 frames fit.
        Assert.Equal(64, written);
        Assert.Equal(1, ring.Overflows);
        Assert.True(ring.TryPeek(out _, out _, out long first));
        Assert.Equal(0, first);
    }

    [Fact]
    public void FrameRing_FrameLargerThanRing_IsRejected()
    {
        var ring = new FrameRing(1 << 16);
        Assert.False(ring.TryWrite(new byte[1 << 16], 1 << 16, 0));
        Assert.Equal(1, ring.Overflows);
        Assert.True(ring.IsEmpty);
    }

    [Fact]
    public void FrameRing_WrapsAroundManyTimes_KeepsOrderAndContent()
    {
        var ring = new FrameRing(1 << 16);
        var random = new Random(5879);
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 20_000; round++)
        {
            int burst = random.Next(1, 8);
            for (int i = 0; i < burst; i++)
            {
                byte[] frame = MakeFrame(next, random.Next(8, 1600));
                if (ring.TryWrite(frame, frame.Length + 4, next))
                {
                    next++;
                }
            }
            ReadAll(ring, ref expected);
        }
        Assert.Equal(next, expected);
        Assert.Equal(0, ring.Overflows);
    }

    [Fact]
    public void FrameRing_ProducerAndConsumerThreads_EveryFrameArrivesOnceInOrder()
    {
        var ring = new FrameRing(1 << 16);
        const long Frames = 300_000;
        long produced = 0;
        var producer = new Thread(() =>
        {
            var random = new Random(4303);
            while (produced < Frames)
            {
                byte[] frame = MakeFrame(produced, random.Next(8, 256));
                if (ring.TryWrite(frame, frame.Length, produced))
                {
                    produced++;
                }
                else
                {
                    Thread.SpinWait(16);
                }
            }
        });
        producer.Start();
        long consumed = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (consumed < Frames && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (ring.TryPeek(out ReadOnlySpan<byte> frame, out int originalLength, out long timestamp))
            {
                Assert.Equal(consumed, timestamp);
                Assert.Equal(frame.Length, originalLength);
                Check(frame, consumed);
                ring.Release();
                consumed++;
            }
        }
        producer.Join();
        Assert.Equal(Frames, consumed);
        Assert.True(ring.IsEmpty);
    }

    private static void ReadAll(FrameRing ring, ref long expected)
    {
        while (ring.TryPeek(out ReadOnlySpan<byte> frame, out int originalLength, out long timestamp))
        {
            Assert.Equal(expected, timestamp);
            Assert.Equal(frame.Length + 4, originalLength);
            Check(frame, expected);
            ring.Release();
            expected++;
        }
    }

    /// <summary>A frame whose first 8 bytes are its sequence number and whose rest is derived from it.</summary>
    private static byte[] MakeFrame(long sequence, int length)
    {
        byte[] frame = new byte[length];
        BinaryPrimitives.WriteInt64LittleEndian(frame, sequence);
        for (int i = 8; i < length; i++)
        {
            frame[i] = (byte)(sequence + i);
        }
        return frame;
    }

    private static void Check(ReadOnlySpan<byte> frame, long sequence)
    {
        Assert.Equal(sequence, BinaryPrimitives.ReadInt64LittleEndian(frame));
        for (int i = 8; i < frame.Length; i++)
        {
            if (frame[i] != (byte)(sequence + i))
            {
                Assert.Fail($"frame {sequence} byte {i} corrupted");
            }
        }
    }
}
