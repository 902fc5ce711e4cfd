using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>Chooses the worker of a frame from its outer IP address pair, unordered: both directions of a flow, the
/// IKE SA and both ESP SAs of a tunnel, and every fragment of a datagram (they share the address pair) meet on one
/// worker, whose flow table, classifier and IKE tracker then need no locks. Frames without an IP layer go to worker 0.</summary>
/// <remarks>The hash is fixed (not seeded per process), so a capture spreads the same way on every run.</remarks>
internal sealed class ShardKey
{
    private readonly int _workers;

    public ShardKey(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _workers = workers;
    }

    /// <summary>The worker (0 .. workers-1) of one frame.</summary>
    public int WorkerOf(ReadOnlySpan<byte> frame, LinkType linkType, int originalLength)
    {
        if (_workers == 1)
        {
            return 0;
        }
        // The reader needs the address pair only: the worker decodes the frame in full.
        return PacketDecoder.TryReadAddresses(frame, linkType, out NetworkAddress source, out NetworkAddress destination)
            ? Of(source, destination, _workers)
            : 0;
    }

    /// <summary>The worker of an address pair; the same for (a, b) and (b, a).</summary>
    public static int Of(NetworkAddress a, NetworkAddress b, int workers)
    {
        ulong h = Mix(Hash(a) + Hash(b));
        return (int)(h % (ulong)workers);
    }

    private static ulong Hash(NetworkAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        int n = address.WriteBytes(bytes);
        ulong h = 0xcbf29ce484222325;
        for (int i = 0; i < n; i++)
        {
            h = (h ^ bytes[i]) * 0x100000001b3;
        }
        return Mix(h);
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccd;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53;
        x ^= x >> 33;
        return x;
    }
}
