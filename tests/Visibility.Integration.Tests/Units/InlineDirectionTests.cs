using Visibility.Cli.Capture;

namespace Visibility.Integration.Tests.Units;

/// <summary>The hand-over between a capture thread and the engine thread, with a real engine thread serving a test
/// inspector (no interfaces).</summary>
public sealed class InlineDirectionTests : IDisposable
{
    private readonly ManualResetEventSlim _work = new(false);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<byte> _inspected = [];
    private Thread? _engine;

    public void Dispose()
    {
        _stop.Cancel();
        _work.Set();
        _engine?.Join();
        _stop.Dispose();
        _work.Dispose();
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
        SpinWait.SpinUntil(() => direction.Ring.IsEmpty, 5000);
        Assert.Equal(1, direction.Skipped);
        Assert.False(direction.Decide([0x04], 1, 4));
        Assert.Equal(1, direction.Dropped);
    }

    [Fact]
    public void InlineDirection_TryServeEmpty_ReturnsFalse()
    {
        InlineDirection direction = Create(TimeSpan.FromSeconds(1), failClosed: false);
        Assert.False(direction.TryServe((_, _, _, _) => InlineVerdict.Pass));
    }

    private InlineDirection Create(TimeSpan timeout, bool failClosed) => new("in_to_out", 0, 1 << 16, timeout, failClosed, _work);

    private void StartEngine(InlineDirection direction, InlineInspector inspect)
    {
        _engine = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (!direction.TryServe(inspect))
                {
                    _work.Reset();
                    if (direction.Ring.IsEmpty)
                    {
                        _work.Wait(50);
                    }
                }
            }
        });
        _engine.Start();
    }
}
