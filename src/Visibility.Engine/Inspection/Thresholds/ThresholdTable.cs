using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Thresholds;

/// <summary>Per-evaluator threshold counters in a fixed table: open addressing over a short probe run, and when the
/// run is full the entry with the oldest window is replaced. Memory is bounded; under pressure an evicted key
/// simply starts a new window. Time is packet time.</summary>
/// <remarks>Window rules follow Suricata's: a window opens at the first counted match and includes matches up to
/// and including <c>seconds</c> later.</remarks>
internal sealed class ThresholdTable
{
    private const int ProbeLength = 8;

    private readonly Entry[] _entries;
    private readonly int _mask;

    public ThresholdTable(int capacity)
    {
        int size = 16;
        while (size < capacity)
        {
            size <<= 1;
        }
        _entries = new Entry[size];
        _mask = size - 1;
    }

    public int Capacity => _entries.Length;

    /// <summary>Entries replaced while still holding a window.</summary>
    public long Evictions { get; private set; }

    /// <summary>Counts one match of <paramref name="signature"/> and tells whether it may alert.</summary>
    public bool Allow(ThresholdSpec spec, int signature, in AddressKey source, in AddressKey destination, long now)
    {
        AddressKey a = spec.Track switch
        {
            ThresholdTrack.BySource => source,
            ThresholdTrack.ByDestination => destination,
            ThresholdTrack.ByBoth => source,
            _ => default,
        };
        AddressKey b = spec.Track == ThresholdTrack.ByBoth ? destination : default;
        // One signature may carry both a threshold and a detection_filter; keep their counters apart.
        int tag = signature * 2 + (spec.Type == ThresholdType.DetectionFilter ? 1 : 0) + 1;
        ref Entry e = ref Lookup(tag, in a, in b, out bool found);
        if (!found || now - e.WindowStart > spec.WindowNanoseconds || now < e.WindowStart)
        {
            e.WindowStart = now;
            e.Count = 1;
            return FirstInWindow(spec, ref e);
        }
        e.Count++;
        switch (spec.Type)
        {
            case ThresholdType.Limit:
                return e.Count <= spec.Count;
            case ThresholdType.Threshold:
                if (e.Count >= spec.Count)
                {
                    e.Count = 0;
                    return true;
                }
                return false;
            case ThresholdType.Both:
                return e.Count == spec.Count;
            default:
                return e.Count > spec.Count;
        }
    }

    private static bool FirstInWindow(ThresholdSpec spec, ref Entry e)
    {
        switch (spec.Type)
        {
            case ThresholdType.Limit:
                return spec.Count >= 1;
            case ThresholdType.Threshold:
                if (spec.Count <= 1)
                {
                    e.Count = 0;
                    return true;
                }
                return false;
            case ThresholdType.Both:
                return spec.Count <= 1;
            default:
                return spec.Count < 1;
        }
    }

    private ref Entry Lookup(int tag, in AddressKey a, in AddressKey b, out bool found)
    {
        int hash = HashCode.Combine(tag, a.Family, a.V4, a.V6, b.Family, b.V4, b.V6);
        int victim = -1;
        long oldest = long.MaxValue;
        for (int i = 0; i < ProbeLength; i++)
        {
            int slot = (hash + i) & _mask;
            ref Entry e = ref _entries[slot];
            if (e.Tag == 0)
            {
                e.Tag = tag;
                e.A = a;
                e.B = b;
                found = false;
                return ref e;
            }
            if (e.Tag == tag && e.A.Family == a.Family && e.A.V4 == a.V4 && e.A.V6 == a.V6
                && e.B.Family == b.Family && e.B.V4 == b.V4 && e.B.V6 == b.V6)
            {
                found = true;
                return ref e;
            }
            if (e.WindowStart < oldest)
            {
                oldest = e.WindowStart;
                victim = slot;
            }
        }
        Evictions++;
        ref Entry v = ref _entries[victim];
        v.Tag = tag;
        v.A = a;
        v.B = b;
        found = false;
        return ref v;
    }

    private struct Entry
    {
        public int Tag;
        public AddressKey A;
        public AddressKey B;
        public long WindowStart;
        public int Count;
    }
}
