using Visibility.Cli.Capture;
using Visibility.Wire;

namespace Visibility.Integration.Tests.Units;

/// <summary><see cref="ShardKey"/>: the worker of a frame depends on its outer address pair only, in either order.</summary>
public sealed class ShardKeyTests
{
    [Fact]
    public void Of_EitherDirection_SameWorker()
    {
        var random = new Random(7);
        for (int i = 0; i < 1000; i++)
        {
            NetworkAddress a = NetworkAddress.FromIPv4((uint)random.Next());
            NetworkAddress b = i % 2 == 0 ? NetworkAddress.FromIPv4((uint)random.Next()) : NetworkAddress.FromIPv6(RandomBytes(random, 16));
            for (int workers = 1; workers <= 5; workers++)
            {
                int w = ShardKey.Of(a, b, workers);
                Assert.InRange(w, 0, workers - 1);
                Assert.Equal(w, ShardKey.Of(b, a, workers));
            }
        }
    }

    [Fact]
    public void Of_ManyPairs_SpreadOverEveryWorker()
    {
        var random = new Random(11);
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++)
        {
            counts[ShardKey.Of(NetworkAddress.FromIPv4((uint)random.Next()), NetworkAddress.FromIPv4((uint)random.Next()), 3)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void WorkerOf_FramesOfOnePair_SameWorkerBothWaysAndFragments()
    {
        var key = new ShardKey(4);
        // 0: IPv4 UDP 192.0.2.1:500 -> 198.51.100.7:500; 1: the reply; 2: a non-first fragment of the same pair.
        byte[] request = Ipv4(0x00, 0x00, [192, 0, 2, 1], [198, 51, 100, 7]);
        byte[] reply = Ipv4(0x00, 0x00, [198, 51, 100, 7], [192, 0, 2, 1]);
        byte[] fragment = Ipv4(0x00, 0xb9, [192, 0, 2, 1], [198, 51, 100, 7]);
        int expected = ShardKey.Of(NetworkAddress.FromIPv4([192, 0, 2, 1]), NetworkAddress.FromIPv4([198, 51, 100, 7]), 4);
        Assert.Equal(expected, key.WorkerOf(request, LinkType.Raw, request.Length));
        Assert.Equal(expected, key.WorkerOf(reply, LinkType.Raw, reply.Length));
        Assert.Equal(expected, key.WorkerOf(fragment, LinkType.Raw, fragment.Length));
    }

    [Fact]
    public void WorkerOf_NoIpLayer_WorkerZero()
    {
        var key = new ShardKey(4);
        // Ethernet II with EtherType 0x0806 (ARP): no IP layer.
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        Assert.Equal(0, key.WorkerOf(arp, LinkType.Ethernet, arp.Length));
        Assert.Equal(0, key.WorkerOf([], LinkType.Ethernet, 0));
    }

    /// <summary>A 28-byte IPv4 datagram: header (offset 0), UDP 500 -> 500 (offset 20). Flags/fragment offset octets
    /// at 6..7 as given.</summary>
    private static byte[] Ipv4(byte flags, byte offset, byte[] source, byte[] destination)
    {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[3] = 28;
        p[6] = flags;
        p[7] = offset;
        p[8] = 64;
        p[9] = 17;
        source.CopyTo(p, 12);
        destination.CopyTo(p, 16);
        p[20] = 0x01; // source port 500
        p[21] = 0xf4;
        p[22] = 0x01; // destination port 500
        p[23] = 0xf4;
        p[25] = 8; // UDP length
        return p;
    }

    private static byte[] RandomBytes(Random random, int n)
    {
        byte[] b = new byte[n];
        random.NextBytes(b);
        return b;
    }
}
