using BenchmarkDotNet.Attributes;
using Visibility.Cli.Eve;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>Writing EVE flow records (the commonest record but one in a replay) into a discarding stream: the JSON
/// work per record, without the file system.</summary>
[MemoryDiagnoser]
public class EveWriterBenchmarks
{
    private const int Records = 1024;
    private readonly FlowState[] _flows = new FlowState[Records];
    private EveWriter _eve = null!;

    [GlobalSetup]
    public void Setup()
    {
        var table = new FlowTable(Records);
        for (int i = 0; i < Records; i++)
        {
            var key = FlowKey.ForPorts(NetworkAddress.FromIPv4(0xC6120000u + (uint)i), 50_000, NetworkAddress.FromIPv4(0xC6130001u), 443, IPProtocol.Tcp);
            FlowState flow = table.GetOrAdd(key, out _);
            flow.Client = key.First;
            flow.Server = key.Second;
            flow.ClientPort = key.FirstPort;
            flow.ServerPort = key.SecondPort;
            flow.Protocol = IPProtocol.Tcp;
            flow.Kind = PayloadKind.Tcp;
            flow.StartNanoseconds = 1_718_006_400_000_000_000L + (i * 1_000_000L);
            flow.LastNanoseconds = flow.StartNanoseconds + 2_500_000_000L;
            flow.SourceName = "bench.pcap";
            flow.PacketsToServer = 10 + i;
            flow.PacketsToClient = 8 + i;
            flow.BytesToServer = 6_000 + i;
            flow.BytesToClient = 90_000 + i;
            _flows[i] = flow;
        }
        _eve = new EveWriter(Stream.Null, ownsStream: true);
    }

    [GlobalCleanup]
    public void Cleanup() => _eve.Dispose();

    /// <summary><see cref="Records"/> flow records; divide by it for the per-record cost.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long WriteFlowRecords()
    {
        foreach (FlowState flow in _flows)
        {
            _eve.OnFlowEnd(flow, FlowEndReason.Timeout);
        }
        return _eve.Records;
    }
}
