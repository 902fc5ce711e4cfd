using System.Numerics;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>An immutable set of integers stored as sorted, disjoint, non-adjacent closed ranges. Address and port
/// specifications (lists, negations, variables) compile to these once, so matching is a binary search.</summary>
internal sealed class IntervalSet<T>
    where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    private readonly T[] _starts;
    private readonly T[] _ends;

    private IntervalSet(T[] starts, T[] ends)
    {
        _starts = starts;
        _ends = ends;
    }

    public static IntervalSet<T> Empty { get; } = new([], []);

    public static IntervalSet<T> All { get; } = new([T.MinValue], [T.MaxValue]);

    public bool IsEmpty => _starts.Length == 0;

    public bool IsAll => _starts.Length == 1 && _starts[0] == T.MinValue && _ends[0] == T.MaxValue;

    public int RangeCount => _starts.Length;

    public T RangeStart(int index) => _starts[index];

    public T RangeEnd(int index) => _ends[index];

    public static IntervalSet<T> Range(T first, T last) =>
        first > last ? Empty : new IntervalSet<T>([first], [last]);

    public bool Contains(T value)
    {
        T[] starts = _starts;
        int lo = 0, hi = starts.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (value < starts[mid])
            {
                hi = mid - 1;
            }
            else if (value > _ends[mid])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    public IntervalSet<T> Union(IntervalSet<T> other)
    {
        if (other.IsEmpty || IsAll)
        {
            return this;
        }
        if (IsEmpty || other.IsAll)
        {
            return other;
        }
        var ranges = new List<(T Start, T End)>(_starts.Length + other._starts.Length);
        for (int i = 0; i < _starts.Length; i++)
        {
            ranges.Add((_starts[i], _ends[i]));
        }
        for (int i = 0; i < other._starts.Length; i++)
        {
            ranges.Add((other._starts[i], other._ends[i]));
        }
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        var starts = new List<T>();
        var ends = new List<T>();
        T curStart = ranges[0].Start, curEnd = ranges[0].End;
        for (int i = 1; i < ranges.Count; i++)
        {
            (T s, T e) = ranges[i];
            // Merge overlapping and adjacent ranges; curEnd == MaxValue absorbs everything after it.
            if (curEnd == T.MaxValue || s <= curEnd + T.One)
            {
                if (e > curEnd)
                {
                    curEnd = e;
                }
                continue;
            }
            starts.Add(curStart);
            ends.Add(curEnd);
            curStart = s;
            curEnd = e;
        }
        starts.Add(curStart);
        ends.Add(curEnd);
        return new IntervalSet<T>([.. starts], [.. ends]);
    }

    public IntervalSet<T> Complement()
    {
        if (IsEmpty)
        {
            return All;
        }
        var starts = new List<T>();
        var ends = new List<T>();
        T next = T.MinValue;
        bool open = true;
        for (int i = 0; i < _starts.Length; i++)
        {
            if (_starts[i] > next)
            {
                starts.Add(next);
                ends.Add(_starts[i] - T.One);
            }
            if (_ends[i] == T.MaxValue)
            {
                open = false;
                break;
            }
            next = _ends[i] + T.One;
        }
        if (open)
        {
            starts.Add(next);
            ends.Add(T.MaxValue);
        }
        return new IntervalSet<T>([.. starts], [.. ends]);
    }

    public IntervalSet<T> Intersect(IntervalSet<T> other) => Complement().Union(other.Complement()).Complement();

    public IntervalSet<T> Subtract(IntervalSet<T> other) => Intersect(other.Complement());

    /// <summary>The number of values in the set, saturated at <paramref name="limit"/>.</summary>
    public int CountUpTo(int limit)
    {
        long total = 0;
        for (int i = 0; i < _starts.Length; i++)
        {
            T width = _ends[i] - _starts[i];
            if (width >= T.CreateSaturating(limit))
            {
                return limit;
            }
            total += long.CreateSaturating(width) + 1;
            if (total >= limit)
            {
                return limit;
            }
        }
        return (int)total;
    }
}
