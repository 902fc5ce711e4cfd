using BenchmarkDotNet.Attributes;
using Visibility.Cli.Replay;
using Visibility.Engine.Events;
using Visibility.Engine.Ike;
using Visibility.Tests.Shared;
using Visibility.Wire.Pcap;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>IKE messages through <see cref="IkeTracker.Process"/>: the 519 messages of the nDPI NAT-T capture (no keys:
/// SA lookup, retransmission check, clear payloads, state machine) and the peer's null-sha256 scenario with its key
/// file (AES-CBC + HMAC-SHA2-256 verification and decryption, inner payloads, Child SAs). Per message; must not allocate.</summary>
[MemoryDiagnoser]
public class IkeTrackerBenchmarks
{
    private List<(byte[] Message, PacketMeta Meta, long Time)> _clear = [];
    private List<(byte[] Message, PacketMeta Meta, long Time)> _keyed = [];
    private IkeTracker _clearTracker = null!;
    private IkeTracker _keyedTracker = null!;

    [GlobalSetup]
    public void Setup()
    {
        string root = RepositoryRoot.Path;
        _clear = IkeMessages(Path.Combine(root, "captures", "public", "nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap"));
        _keyed = IkeMessages(Path.Combine(root, "captures", "synthetic", "ike", "null-sha256", "capture.pcap"));
        KeyLoader.Keys keys = KeyLoader.Load(Path.Combine(root, "captures", "synthetic", "ike", "null-sha256"));
        _clearTracker = new IkeTracker(new IkeTrackerOptions(), NullEventSink.Instance, new EngineCounters());
        _keyedTracker = new IkeTracker(new IkeTrackerOptions { IkeKeys = keys.Ike }, NullEventSink.Instance, new EngineCounters());
    }

    /// <summary>One pass over the capture's IKE messages; per message: divide by 519.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = 519)]
    public long NatTCaptureWithoutKeys() => Replay(_clearTracker, _clear);

    /// <summary>One pass over the scenario's 8 IKE messages (6 decrypted).</summary>
    [Benchmark(OperationsPerInvoke = 8)]
    public long ScenarioWithKeys() => Replay(_keyedTracker, _keyed);

    private static long Replay(IkeTracker tracker, List<(byte[] Message, PacketMeta Meta, long Time)> messages)
    {
        tracker.Reset();
        long frame = 0;
        foreach ((byte[] message, PacketMeta meta, long time) in messages)
        {
            tracker.Expire(time);
            var packet = new PacketContext(message, in meta, time, ++frame, null);
            tracker.Process(in packet, message);
        }
        tracker.Finish();
        return tracker.Counters.Messages;
    }

    private static List<(byte[], PacketMeta, long)> IkeMessages(string path)
    {
        var messages = new List<(byte[], PacketMeta, long)>();
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(path));
        while (reader.TryReadNext(out CaptureRecord record))
        {
            var meta = new PacketMeta();
            PacketDecoder.Decode(record.Data, record.LinkType, record.OriginalLength, ref meta);
            if (meta.Kind == PayloadKind.Ike)
            {
                int end = Math.Min(meta.IkeOffset + meta.IkeLength, record.Data.Length);
                messages.Add((record.Data[meta.IkeOffset..end].ToArray(), meta, record.TimestampNanoseconds));
            }
        }
        return messages;
    }
}
