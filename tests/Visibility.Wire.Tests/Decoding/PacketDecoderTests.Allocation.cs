using System.Runtime.CompilerServices;

namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    [Fact]
    public void Decode_SecondPassOverEveryCapture_AllocatesNothing()
    {
        (byte[] Data, LinkType LinkType, int OriginalLength)[] frames = CaptureCorpus.Files
            .SelectMany(f => f.Frames.Select(fr => (fr.Data, f.LinkType, fr.OriginalLength)))
            .Concat(DecoderSamples.All.Select(s => (s.Frame, s.LinkType, s.Frame.Length)))
            .ToArray();
        Assert.True(frames.Length > 1000);

        long firstChecksum = DecodeAll(frames); // first pass: JIT compilation, static initialisation
        long before = GC.GetAllocatedBytesForCurrentThread();
        long secondChecksum = DecodeAll(frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(firstChecksum, secondChecksum);
    }

    /// <summary>Decodes every frame, then re-decodes its network layer and its transport layer the way the engine
    /// does for reassembled datagrams and ESP payloads; returns a sum so that nothing is optimised away.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long DecodeAll((byte[] Data, LinkType LinkType, int OriginalLength)[] frames)
    {
        long sum = 0;
        var meta = default(PacketMeta);
        var inner = default(PacketMeta);
        for (int i = 0; i < frames.Length; i++)
        {
            ReadOnlySpan<byte> data = frames[i].Data;
            PacketDecoder.Decode(data, frames[i].LinkType, frames[i].OriginalLength, ref meta);
            sum += (long)meta.Kind + meta.PayloadLength + meta.Spi + (long)meta.Anomaly;
            if (meta.IPVersion != 0 && meta.NetworkComplete)
            {
                PacketDecoder.DecodeNetwork(data[meta.NetworkOffset..meta.NetworkEnd], ref inner);
                sum += inner.PayloadLength;
                if (meta.TransportOffset != 0)
                {
                    PacketDecoder.DecodeTransport(data, meta.TransportOffset, meta.NetworkEnd, meta.Protocol, ref inner);
                    sum += inner.DestinationPort;
                }
            }
        }
        return sum;
    }
}
