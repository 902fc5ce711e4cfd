using System.Buffers.Binary;
using System.Diagnostics;
using Visibility.Cli.Capture;
using Visibility.Wire;

namespace Visibility.Integration.Tests.Units;

/// <summary>The hand-over between a capture thread and the engine threads, with real engine threads serving test
/// inspectors (no interfaces).</summary>
public sealed class InlineDirectionTests : IDisposable
{
    private readonly ManualResetEventSlim _work = new(false);
    private readonly ManualResetEventSlim[] _engineWork = [new(false), new(false)];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<byte> _inspected = [];
    private readonly List<Thread> _engines = [];

    public void Dispose()
    {
        _stop.Cancel();
        _work.Set();
        foreach (ManualResetEventSlim work in _engineWork)
        {
            work.Set();
        }
        foreach (Thread engine in _engines)
        {
            engine.Join();
        }
        _stop.Dispose();
        _work.Dispose();
        foreach (ManualResetEventSlim work in _engineWork)
        {
            work.Dispose();
        }
    }

    [Fact]
    public void InlineDirection_DropVerdict_HoldsBackOnlyThatFrame()
    {
        InlineDirection direction = Create(TimeSpan.FromSeconds(5), failClosed: false);
        StartEngine(direction, (frame, _, _, _) => frame[0] == 0xdd ? InlineVerdict.Drop : InlineVerdict.Pass);

        Assert.True(direction.Decide([0x01, 0x02], 2, 1));
        Assert.False(direction.Decide([0xdd, 0x02], 2, 2));
        Assert.True(direction.Decide([0x03], 1, 3));
        Assert.Equal(2, direction.Passed);
        Assert.Equal(1, direction.Dropped);
        Assert.Equal(0, direction.FailOpen);
    }

    [Fact]
    public void InlineDirection_ManyFrames_InspectedInArrivalOrder()
    {
        InlineDirection direction = Create(TimeSpan.FromSeconds(5), failClosed: false);
        StartEngine(direction, (frame, _, _, _) =>
        {
            _inspected.Add(frame[0]);
            return InlineVerdict.Pass;
        });
        for (int i = 0; i < 200; i++)
        {
            Assert.True(direction.Decide([(byte)i], 1, i));
        }
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (byte)i), _inspected);
    }

    [Fact]
    public void InlineDirection_EngineThrowsFailOpen_ForwardsAndCounts()
    {
        InlineDirection direction = Create(TimeSpan.FromSeconds(5), failClosed: false);
        StartEngine(direction, (frame, _, _, _) => frame[0] == 0xee ? throw new InvalidOperationException("engine fault") : InlineVerdict.Pass);

        Assert.True(direction.Decide([0xee], 1, 1));
        Assert.True(direction.Decide([0x01], 1, 2));
        Assert.Equal(1, direction.EngineErrors);
        Assert.Equal(1, direction.FailOpen);
        Assert.Equal(1, direction.Passed);
        Assert.Equal("engine fault", direction.FirstEngineError?.Message);
    }

    [Fact]
    public void InlineDirection_EngineThrowsFailClosed_DropsAndCounts()
    {
        InlineDirection direction = Create(TimeSpan.FromSeconds(5), failClosed: true);
        StartEngine(direction, (_, _, _, _) => throw new InvalidOperationException("engine fault"));

        Assert.False(direction.Decide([0x01], 1, 1));
        Assert.Equal(1, direction.FailClosed);
        Assert.Equal(0, direction.FailOpen);
    }

    [Fact]
    public void InlineDirection_NoEngine_TimesOutThenBusyAndFailsOpen()
    {
        InlineDirection direction = Create(TimeSpan.FromMilliseconds(20), failClosed: false);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(direction.Decide([0x01], 1, 1));
        Assert.True(clock.ElapsedMilliseconds >= 19, $"gave up after {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        // The engine still owes the first frame: the next ones do not wait at all.
        Assert.True(direction.Decide([0x02], 1, 2));
        Assert.True(direction.Decide([0x03], 1, 3));
        Assert.True(clock.ElapsedMilliseconds < 15, $"busy frames waited {clock.ElapsedMilliseconds} ms");
        Assert.Equal(1, direction.Timeouts);
        Assert.Equal(2, direction.Busy);
        Assert.Equal(3, direction.FailOpen);

        // An engine that comes back skips the abandoned frame and judges new ones again.
        StartEngine(direction, (_, _, _, _) => InlineVerdict.Drop);
        SpinWait.SpinUntil(() => direction.IsEmpty(0), 5000);
        Assert.Equal(1, direction.Skipped);
        Assert.False(direction.Decide([0x04], 1, 4));
        Assert.Equal(1, direction.Dropped);
    }

    [Fact]
    public void InlineDirection_TryServeEmpty_ReturnsFalse()
    {
        InlineDirection direction = Create(TimeSpan.FromSeconds(1), failClosed: false);
        Assert.False(direction.TryServe(0, (_, _, _, _) => InlineVerdict.Pass));
    }

    [Fact]
    public void InlineDirection_TwoEngines_VerdictFromTheEngineOfTheAddressPair()
    {
        InlineDirection direction = CreateSharded(TimeSpan.FromSeconds(5), failClosed: false);
        // Engine 0 passes everything, engine 1 drops everything: the decision shows which engine judged the frame.
        var seen = new List<(int Engine, byte Host)>[] { [], [] };
        for (int engine = 0; engine < 2; engine++)
        {
            int e = engine;
            StartEngine(direction, e, (frame, _, _, _) =>
            {
                seen[e].Add((e, frame[44]));
                return e == 0 ? InlineVerdict.Pass : InlineVerdict.Drop;
            });
        }

        int[] perEngine = new int[2];
        for (byte host = 1; host <= 40; host++)
        {
            int expected = EngineOfPair(host);
            perEngine[expected]++;
            // Both directions of the pair meet on one engine.
            Assert.Equal(expected == 0, direction.Decide(Frame(host, reply: false), 60, host));
            Assert.Equal(expected == 0, direction.Decide(Frame(host, reply: true), 60, host));
        }
        Assert.All(perEngine, n => Assert.True(n > 0, "40 address pairs all sharded to one engine"));
        Assert.Equal(2 * perEngine[0], direction.Passed);
        Assert.Equal(2 * perEngine[1], direction.Dropped);
        Assert.Equal(0, direction.FailOpen + direction.Timeouts + direction.Busy);
        Assert.All(seen[0], s => Assert.Equal(0, EngineOfPair(s.Host)));
        Assert.All(seen[1], s => Assert.Equal(1, EngineOfPair(s.Host)));
    }

    [Fact]
    public void InlineDirection_TwoEngines200Frames_EachEngineInArrivalOrder()
    {
        InlineDirection direction = CreateSharded(TimeSpan.FromSeconds(5), failClosed: false);
        var perEngine = new List<int>[] { [], [] };
        var all = new List<int>();
        for (int engine = 0; engine < 2; engine++)
        {
            int e = engine;
            StartEngine(direction, e, (frame, _, _, _) =>
            {
                int sequence = BinaryPrimitives.ReadUInt16BigEndian(frame[42..]);
                perEngine[e].Add(sequence);
                lock (all)
                {
                    all.Add(sequence);
                }
                return InlineVerdict.Pass;
            });
        }

        // Five address pairs, interleaved, both ways; the UDP payload carries the arrival number.
        var expected = new List<int>[] { [], [] };
        for (int i = 0; i < 200; i++)
        {
            byte host = (byte)(1 + (i % 5));
            byte[] frame = Frame(host, reply: i % 3 == 0);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(42), (ushort)i);
            expected[EngineOfPair(host)].Add(i);
            Assert.True(direction.Decide(frame, 60, i));
        }
        Assert.Equal(200, direction.Passed);
        Assert.True(expected[0].Count > 0 && expected[1].Count > 0, "the five pairs all sharded to one engine");
        Assert.Equal(expected[0], perEngine[0]);
        Assert.Equal(expected[1], perEngine[1]);
        // The forwarder waits for each verdict before the next frame: the judged order is the arrival order.
        Assert.Equal(Enumerable.Range(0, 200), all);
    }

    [Fact]
    public void InlineDirection_OneOfTwoEnginesStalled_FailsOpenOnlyItsFrames()
    {
        // Long enough for the live engine to answer on a loaded machine; the stalled one costs it once.
        InlineDirection direction = CreateSharded(TimeSpan.FromMilliseconds(250), failClosed: false);
        byte stalledHost = FirstHostOf(1);
        byte liveHost = FirstHostOf(0);
        // Engine 0 judges (and drops, so a verdict is told from a fail-open); engine 1 never runs.
        StartEngine(direction, 0, (_, _, _, _) => InlineVerdict.Drop);

        var clock = Stopwatch.StartNew();
        Assert.True(direction.Decide(Frame(stalledHost, reply: false), 60, 1));
        Assert.True(clock.ElapsedMilliseconds >= 249, $"gave up after {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        for (int i = 0; i < 10; i++)
        {
            // The stalled engine's frames go by the failure mode at once (busy); the other engine's are judged.
            Assert.True(direction.Decide(Frame(stalledHost, reply: i % 2 == 0), 60, 2 + i));
            Assert.False(direction.Decide(Frame(liveHost, reply: i % 2 == 0), 60, 2 + i));
        }
        // Not one more timeout: the stalled engine's frames do not wait at all.
        Assert.True(clock.ElapsedMilliseconds < 2000, $"20 frames took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(1, direction.Timeouts);
        Assert.Equal(10, direction.Busy);
        Assert.Equal(11, direction.FailOpen);
        Assert.Equal(10, direction.Dropped);
        Assert.Equal(0, direction.Passed);
        Assert.False(direction.IsEmpty(1));
        Assert.True(direction.IsEmpty(0));
    }

    [Fact]
    public void InlineDirection_OneOfTwoEnginesStalledFailClosed_DropsOnlyItsFrames()
    {
        InlineDirection direction = CreateSharded(TimeSpan.FromMilliseconds(250), failClosed: true);
        StartEngine(direction, 0, (_, _, _, _) => InlineVerdict.Pass);

        Assert.False(direction.Decide(Frame(FirstHostOf(1), reply: false), 60, 1));
        Assert.False(direction.Decide(Frame(FirstHostOf(1), reply: true), 60, 2));
        Assert.True(direction.Decide(Frame(FirstHostOf(0), reply: true), 60, 3));
        Assert.Equal(2, direction.FailClosed);
        Assert.Equal(1, direction.Passed);
        Assert.Equal(0, direction.FailOpen);
    }

    /// <summary>The engine (of two) of the pair 192.0.2.1 - 198.51.100.<paramref name="host"/>, by the shard hash.</summary>
    private static int EngineOfPair(byte host) =>
        ShardKey.Of(NetworkAddress.FromIPv4([192, 0, 2, 1]), NetworkAddress.FromIPv4([198, 51, 100, host]), 2);

    private static byte FirstHostOf(int engine)
    {
        for (byte host = 1; host < 255; host++)
        {
            if (EngineOfPair(host) == engine)
            {
                return host;
            }
        }
        throw new InvalidOperationException("no pair shards to that engine");
    }

    /// <summary>60 bytes: Ethernet, IPv4 UDP 192.0.2.1:4500 -> 198.51.100.<paramref name="host"/>:4500 (or the
    /// reply), 18 bytes of payload.</summary>
    private static byte[] Frame(byte host, bool reply)
    {
        byte[] frame = new byte[60];
        // 0: destination MAC, 6: source MAC, 12: EtherType IPv4
        frame[0] = 0x02;
        frame[6] = 0x02;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        // 14: IPv4, IHL 5, total length 46, TTL 64, protocol 17; 26: source, 30: destination
        frame[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 46);
        frame[22] = 64;
        frame[23] = 17;
        byte[] near = [192, 0, 2, 1];
        byte[] far = [198, 51, 100, host];
        (reply ? far : near).CopyTo(frame, 26);
        (reply ? near : far).CopyTo(frame, 30);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(24), Checksum(frame.AsSpan(14, 20)));
        // 34: UDP, length 26, checksum 0 (none); 42: payload (42: arrival number for the order test, 44: the far host)
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34), 4500);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(36), 4500);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(38), 26);
        frame[44] = host;
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

    private InlineDirection Create(TimeSpan timeout, bool failClosed) => new("in_to_out", 0, 1 << 16, timeout, failClosed, _work);

    private InlineDirection CreateSharded(TimeSpan timeout, bool failClosed) => new("in_to_out", 0, 1 << 16, timeout, failClosed, _engineWork);

    private void StartEngine(InlineDirection direction, InlineInspector inspect) => StartEngine(direction, 0, inspect, _work);

    private void StartEngine(InlineDirection direction, int engine, InlineInspector inspect) => StartEngine(direction, engine, inspect, _engineWork[engine]);

    private void StartEngine(InlineDirection direction, int engine, InlineInspector inspect, ManualResetEventSlim work)
    {
        var thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (!direction.TryServe(engine, inspect))
                {
                    work.Reset();
                    if (direction.IsEmpty(engine))
                    {
                        work.Wait(50);
                    }
                }
            }
        });
        _engines.Add(thread);
        thread.Start();
    }
}
