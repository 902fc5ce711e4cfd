using System.Buffers.Binary;
using Visibility.Engine.Defrag;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Defrag;

public sealed class FragmentReassemblerTests
{
    private static readonly byte[] s_src4 = [192, 0, 2, 1];
    private static readonly byte[] s_dst4 = [198, 51, 100, 2];
    private static readonly byte[] s_src6 = System.Net.IPAddress.Parse("2001:db8::1").GetAddressBytes();
    private static readonly byte[] s_dst6 = System.Net.IPAddress.Parse("2001:db8::2").GetAddressBytes();

    private static FragmentResult Add(FragmentReassembler r, byte[] packet, long now, out byte[] datagram, out DecodeAnomaly anomaly)
    {
        var meta = default(PacketMeta);
        PacketDecoder.DecodeNetwork(packet, ref meta);
        Assert.True(meta.IsFragment);
        FragmentResult result = r.Add(packet, in meta, now, out ReadOnlySpan<byte> span, out anomaly);
        datagram = span.ToArray();
        return result;
    }

    private static List<byte[]> SplitIPv4(byte[] udp, ushort id, int chunk)
    {
        var list = new List<byte[]>();
        for (int offset = 0; offset < udp.Length; offset += chunk)
        {
            int n = Math.Min(chunk, udp.Length - offset);
            list.Add(FragmentBuilder.IPv4(s_src4, s_dst4, 17, id, offset, offset + n < udp.Length, udp.AsSpan(offset, n)));
        }
        return list;
    }

    [Theory]
    [Trait("rfc", "791-3.2")]
    [InlineData(false)]
    [InlineData(true)]
    public void IPv4_AllFragments_ReassemblesTheDatagram(bool reverseOrder)
    {
        byte[] udp = FragmentBuilder.Udp(4500, 4500, 3000, 7);
        List<byte[]> fragments = SplitIPv4(udp, 0x1234, 1480);
        if (reverseOrder)
        {
            fragments.Reverse();
        }
        var r = new FragmentReassembler();
        byte[] datagram = [];
        for (int i = 0; i < fragments.Count; i++)
        {
            FragmentResult result = Add(r, fragments[i], 1000 + i, out datagram, out DecodeAnomaly anomaly);
            Assert.Equal(DecodeAnomaly.None, anomaly);
            Assert.Equal(i == fragments.Count - 1 ? FragmentResult.Complete : FragmentResult.Pending, result);
        }
        Assert.Equal(20 + udp.Length, datagram.Length);
        Assert.Equal(datagram.Length, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(6)) & 0x3FFF);
        Assert.Equal(0, FragmentBuilder.Checksum(datagram.AsSpan(0, 20)) & 0xFFFF);
        Assert.Equal(udp, datagram[20..]);
        Assert.Equal(0, r.Pending);
        Assert.Equal(1, r.Reassembled);

        var meta = default(PacketMeta);
        PacketDecoder.DecodeNetwork(datagram, ref meta);
        Assert.False(meta.IsFragment);
        Assert.Equal(4500, meta.DestinationPort);
    }

    [Fact]
    [Trait("rfc", "8200-4.5")]
    public void IPv6_AllFragments_ReassemblesWithoutTheFragmentHeader()
    {
        byte[] udp = FragmentBuilder.Udp(500, 500, 2000, 3);
        var r = new FragmentReassembler();
        byte[] first = FragmentBuilder.IPv6(s_src6, s_dst6, 17, 99, 0, true, udp.AsSpan(0, 1232));
        byte[] last = FragmentBuilder.IPv6(s_src6, s_dst6, 17, 99, 1232, false, udp.AsSpan(1232));
        Assert.Equal(FragmentResult.Pending, Add(r, last, 1, out _, out _));
        Assert.Equal(FragmentResult.Complete, Add(r, first, 2, out byte[] datagram, out _));
        Assert.Equal(40 + udp.Length, datagram.Length);
        Assert.Equal(17, datagram[6]);
        Assert.Equal(udp.Length, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(4)));
        Assert.Equal(udp, datagram[40..]);
    }

    [Fact]
    public void Overlap_IsFlagged_AndStillReassembles()
    {
        byte[] udp = FragmentBuilder.Udp(1, 2, 40, 1);
        var r = new FragmentReassembler();
        Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 5, 0, true, udp.AsSpan(0, 24)), 1, out _, out _);
        Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 5, 16, true, udp.AsSpan(16, 16)), 2, out _, out DecodeAnomaly overlap);
        FragmentResult done = Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 5, 32, false, udp.AsSpan(32)), 3, out byte[] datagram, out _);
        Assert.Equal(DecodeAnomaly.IPv4FragmentOverlap, overlap);
        Assert.Equal(FragmentResult.Complete, done);
        Assert.Equal(udp, datagram[20..]);
    }

    [Fact]
    public void MissingFragment_TimesOutOnPacketTime()
    {
        byte[] udp = FragmentBuilder.Udp(1, 2, 100, 1);
        var r = new FragmentReassembler(timeoutNanoseconds: 1_000);
        Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 9, 0, true, udp.AsSpan(0, 48)), 0, out _, out _);
        Assert.Equal(1, r.Pending);
        r.ExpireOlderThan(5_000);
        Assert.Equal(0, r.Pending);
        Assert.Equal(1, r.TimedOut);
    }

    [Fact]
    public void TableFull_DropsOldest_AndSaysSo()
    {
        byte[] udp = FragmentBuilder.Udp(1, 2, 100, 1);
        var r = new FragmentReassembler(maxDatagrams: 2);
        Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 1, 0, true, udp.AsSpan(0, 48)), 0, out _, out _);
        Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 2, 0, true, udp.AsSpan(0, 48)), 1, out _, out _);
        Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 3, 0, true, udp.AsSpan(0, 48)), 2, out _, out DecodeAnomaly full);
        Assert.Equal(DecodeAnomaly.FragmentTableFull, full);
        Assert.Equal(2, r.Pending);
        Assert.Equal(1, r.Evicted);
        // Datagram 2 survived and completes; the evicted datagram 1 lost its first fragment and cannot.
        Assert.Equal(FragmentResult.Complete, Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 2, 48, false, udp.AsSpan(48)), 3, out _, out _));
        Assert.Equal(FragmentResult.Pending, Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 1, 48, false, udp.AsSpan(48)), 4, out _, out _));
    }

    [Fact]
    public void BeyondMaximumDatagramSize_IsDropped()
    {
        var r = new FragmentReassembler();
        byte[] data = new byte[1000];
        FragmentResult result = Add(r, FragmentBuilder.IPv4(s_src4, s_dst4, 17, 1, 65000, false, data), 0, out _, out DecodeAnomaly anomaly);
        Assert.Equal(FragmentResult.Dropped, result);
        Assert.Equal(DecodeAnomaly.IPv4FragmentTooLarge, anomaly);
    }

    [Fact]
    public void SecondRound_AllocatesNothing()
    {
        byte[] udp = FragmentBuilder.Udp(4500, 4500, 3000, 7);
        List<byte[]> fragments = SplitIPv4(udp, 0x4321, 1480);
        var r = new FragmentReassembler();
        var meta = default(PacketMeta);
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (byte[] f in fragments)
            {
                PacketDecoder.DecodeNetwork(f, ref meta);
                r.Add(f, in meta, round, out _, out _);
            }
            if (round == 2)
            {
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }
    }
}
