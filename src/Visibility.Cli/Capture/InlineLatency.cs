using System.Numerics;

namespace Visibility.Cli.Capture;

/// <summary>Verdict latencies of the bridge in a fixed log-linear histogram (4 buckets per power of two of
/// nanoseconds, so a percentile is known within 19%): recorded from both capture threads without a lock or an
/// allocation, read for the summary.</summary>
internal sealed class InlineLatency
{
    private const int SubBits = 2;
    private const int SubBuckets = 1 << SubBits;
    private const int BucketCount = 64 * SubBuckets;

    private readonly long[] _buckets = new long[BucketCount];
    private long _count;
    private long _sumNanoseconds;
    private long _maxNanoseconds;

    /// <summary>Latencies recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>The largest latency recorded, in nanoseconds.</summary>
    public long MaxNanoseconds => Volatile.Read(ref _maxNanoseconds);

    /// <summary>The mean latency in nanoseconds (0 when nothing was recorded).</summary>
    public double MeanNanoseconds => Count == 0 ? 0 : (double)Volatile.Read(ref _sumNanoseconds) / Count;

    /// <summary>Records one latency (negative values, from a clock step, count as zero).</summary>
    public void Record(long nanoseconds)
    {
        long value = Math.Max(0, nanoseconds);
        Interlocked.Increment(ref _buckets[BucketOf(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumNanoseconds, value);
        long max = Volatile.Read(ref _maxNanoseconds);
        while (value > max)
        {
            long seen = Interlocked.CompareExchange(ref _maxNanoseconds, value, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>The upper bound, in nanoseconds, of the bucket holding the <paramref name="quantile"/> (0..1) of the
    /// recorded latencies (never above the maximum); 0 when nothing was recorded.</summary>
    public long Percentile(double quantile)
    {
        long count = Count;
        if (count == 0)
        {
            return 0;
        }
        long rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(quantile, 0, 1) * count));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += Volatile.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), MaxNanoseconds);
            }
        }
        return MaxNanoseconds;
    }

    /// <summary>Values below 4 have their own buckets; above, the bucket is the power of two and the next two bits.</summary>
    internal static int BucketOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }
        int log = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int sub = (int)((value >> (log - SubBits)) & (SubBuckets - 1));
        return ((log - SubBits + 1) * SubBuckets) + sub;
    }

    /// <summary>The largest value that falls in bucket <paramref name="bucket"/>.</summary>
    internal static long UpperBound(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }
        int log = (bucket / SubBuckets) + SubBits - 1;
        long sub = bucket % SubBuckets;
        long lower = (1L << log) + (sub << (log - SubBits));
        return log >= 62 && sub == SubBuckets - 1 ? long.MaxValue : lower + (1L << (log - SubBits)) - 1;
    }
}
