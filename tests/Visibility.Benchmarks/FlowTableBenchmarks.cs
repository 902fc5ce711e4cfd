using BenchmarkDotNet.Attributes;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>The flow lookup every packet makes: find the flow in a table of <see cref="Flows"/> live flows, in random
/// order, and mark it the most recently used. Small tables stay in the CPU caches; 30,000 flows is the 2 M-packet
/// replay benchmark's count, where the cost is mostly cache misses. <see cref="GetOrAddExistingBetweenPackets"/> adds
/// what the replay does around each lookup: about 600 bytes of packet data stream through the caches, and the
/// per-packet fields of the flow found are read (counters; the IKE link and classifier state of ESP flows).</summary>
public class FlowTableBenchmarks
{
    private const int Lookups = 1 << 16;
    private const int PacketBytes = 600;
    private byte[] _packets = [];
    private FlowKey[] _keys = [];
    private int[] _order = [];
    private FlowTable _table = null!;
    private Dictionary<FlowKey, FlowState> _dictionary = null!;

    [Params(1_000, 30_000, 200_000)]
    public int Flows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _keys = new FlowKey[Flows];
        for (int i = 0; i < _keys.Length; i++)
        {
            // Two of three flows are ESP SAs, as in the replay benchmark's capture.
            _keys[i] = i % 3 == 0
                ? FlowKey.ForPorts(NetworkAddress.FromIPv4(0xC6120000u | (uint)random.Next(1 << 16)), (ushort)random.Next(1024, 65536),
                    NetworkAddress.FromIPv4(0xC6130000u | (uint)random.Next(1 << 16)), 443, IPProtocol.Tcp)
                : FlowKey.ForEsp(NetworkAddress.FromIPv4(0xC6120000u | (uint)random.Next(1 << 16)),
                    NetworkAddress.FromIPv4(0xC6130000u | (uint)random.Next(1 << 16)), (uint)random.Next(), 0, 0, IPProtocol.Esp);
        }
        _order = new int[Lookups];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = random.Next(Flows);
        }
        // Larger than the last-level cache, so every pass streams from memory as a capture file does.
        _packets = new byte[Lookups * PacketBytes];
        random.NextBytes(_packets);
        _table = new FlowTable(1 << 18);
        _dictionary = [];
        foreach (FlowKey key in _keys)
        {
            _dictionary[key] = _table.GetOrAdd(key, out _);
        }
    }

    /// <summary>For scale: a plain <see cref="Dictionary{TKey, TValue}"/> lookup of the same keys (no LRU update),
    /// reading the same field of the flow found.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public long DictionaryLookup()
    {
        long ids = 0;
        foreach (int i in _order)
        {
            ids += _dictionary[_keys[i]].Id;
        }
        return ids;
    }

    /// <summary><see cref="Lookups"/> lookups of existing flows; divide by it for the per-packet cost.</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public long GetOrAddExisting()
    {
        long ids = 0;
        foreach (int i in _order)
        {
            ids += _table.GetOrAdd(_keys[i], out _).Id;
        }
        return ids;
    }

    /// <summary>As <see cref="GetOrAddExisting"/>, with a packet's worth of bytes read between lookups and the fields
    /// the pipeline reads per packet: the misses a replay sees.</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public long GetOrAddExistingBetweenPackets()
    {
        long sum = 0;
        int offset = 0;
        foreach (int i in _order)
        {
            ReadOnlySpan<byte> packet = _packets.AsSpan(offset, PacketBytes);
            for (int j = 0; j < packet.Length; j += 64)
            {
                sum += packet[j];
            }
            offset += PacketBytes;
            FlowState flow = _table.GetOrAdd(_keys[i], out _);
            sum += flow.LastNanoseconds + flow.PacketsToServer + flow.BytesToServer;
            sum += flow.Key.IsEsp
                ? flow.Esp.Packets + (int)flow.Esp.Verdict + (flow.IkeSa.IsLinked ? 1 : 0)
                : flow.Client.IPv4Value + flow.ClientPort;
        }
        return sum;
    }
}
