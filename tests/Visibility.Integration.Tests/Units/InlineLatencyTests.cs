using Visibility.Cli.Capture;

namespace Visibility.Integration.Tests.Units;

public sealed class InlineLatencyTests
{
    [Fact]
    public void InlineLatency_BucketOf_EveryValueWithinItsBucketsBound()
    {
        long previous = -1;
        for (long v = 0; v < 100_000; v += 7)
        {
            int bucket = InlineLatency.BucketOf(v);
            Assert.True(v <= InlineLatency.UpperBound(bucket), $"{v} above bucket {bucket}'s bound {InlineLatency.UpperBound(bucket)}");
            Assert.True(bucket == 0 || v > InlineLatency.UpperBound(bucket - 1), $"{v} belongs below bucket {bucket}");
            Assert.True(bucket >= previous);
            previous = bucket;
        }
        Assert.Equal(long.MaxValue, InlineLatency.UpperBound(InlineLatency.BucketOf(long.MaxValue)));
    }

    [Fact]
    public void InlineLatency_KnownDistribution_PercentilesWithinABucket()
    {
        var latency = new InlineLatency();
        for (int i = 1; i <= 1000; i++)
        {
            latency.Record(i * 1000L);
        }
        Assert.Equal(1000, latency.Count);
        Assert.Equal(1_000_000, latency.MaxNanoseconds);
        Assert.InRange(latency.Percentile(0.5), 500_000, 500_000 * 1.19);
        Assert.InRange(latency.Percentile(0.99), 990_000, 1_000_000);
        Assert.Equal(500_500, latency.MeanNanoseconds);
    }

    [Fact]
    public void InlineLatency_Empty_PercentileZero() => Assert.Equal(0, new InlineLatency().Percentile(0.99));

    [Fact]
    public void InlineLatency_NegativeFromClockStep_CountsAsZero()
    {
        var latency = new InlineLatency();
        latency.Record(-5);
        Assert.Equal(0, latency.Percentile(1));
        Assert.Equal(1, latency.Count);
    }
}
