using BenchmarkDotNet.Attributes;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>The flow lookup every packet makes: find the flow in a table of <see cref="Flows"/> live flows, in random
/// order, and mark it the most recently used. Small tables stay in the CPU caches; 30,000 flows is the 2 M-packet
/// replay benchmark's count, where the cost is mostly cache misses.</summary>
public class FlowTableBenchmarks
{
    private const int Lookups = 1 << 16;
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
            _keys[i] = FlowKey.ForPorts(NetworkAddress.FromIPv4(0xC6120000u | (uint)random.Next(1 << 16)), (ushort)random.Next(1024, 65536),
                NetworkAddress.FromIPv4(0xC6130000u | (uint)random.Next(1 << 16)), 443, IPProtocol.Tcp);
        }
        _order = new int[Lookups];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = random.Next(Flows);
        }
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
}
