using System.Runtime.InteropServices;

namespace Visibility.Engine.Flows;

/// <summary>The flow table: a dictionary from <see cref="FlowKey"/> to pooled <see cref="FlowState"/> objects, with an
/// intrusive least-recently-used list for expiry (on packet time) and eviction when full.</summary>
/// <remarks>Bounded: at most <see cref="Capacity"/> flows live at once; the caller evicts the oldest before adding
/// to a full table (so it can write the evicted flow's record first). Flow objects are recycled, so a second run
/// over the same traffic allocates nothing.</remarks>
public sealed class FlowTable
{
    private readonly Dictionary<FlowKey, FlowState> _flows;
    private readonly Stack<FlowState> _pool;
    private FlowState? _oldest;
    private FlowState? _newest;
    private long _nextId = 1;

    public FlowTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        int initial = Math.Min(capacity, 1 << 16);
        _flows = new Dictionary<FlowKey, FlowState>(initial);
        _pool = new Stack<FlowState>(initial);
    }

    /// <summary>The most flows held at once.</summary>
    public int Capacity { get; }

    public int Count => _flows.Count;

    public bool IsFull => _flows.Count >= Capacity;

    /// <summary>The flow idle longest, or null when the table is empty.</summary>
    public FlowState? Oldest => _oldest;

    /// <summary>Finds the flow for <paramref name="key"/> or creates it (with the next flow id) and marks it the
    /// most recently used. The caller must make room first when <see cref="IsFull"/>.</summary>
    public FlowState GetOrAdd(in FlowKey key, out bool created)
    {
        ref FlowState? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_flows, key, out bool exists);
        FlowState flow;
        if (exists)
        {
            flow = slot!;
            Unlink(flow);
        }
        else
        {
            flow = _pool.Count > 0 ? _pool.Pop() : new FlowState();
            flow.Key = key;
            flow.Id = _nextId++;
            slot = flow;
        }
        created = !exists;
        LinkNewest(flow);
        return flow;
    }

    /// <summary>Removes <paramref name="flow"/> from the table. Hand it back with <see cref="Release"/> once its record
    /// has been written.</summary>
    public void Remove(FlowState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        _flows.Remove(flow.Key);
        Unlink(flow);
    }

    /// <summary>Returns a removed flow's object to the pool.</summary>
    public void Release(FlowState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        flow.Reset();
        _pool.Push(flow);
    }

    /// <summary>Forgets every flow without writing records and restarts flow ids at 1 (objects return to the pool).</summary>
    public void Clear()
    {
        for (FlowState? f = _oldest; f is not null;)
        {
            FlowState? next = f.Newer;
            Release(f);
            f = next;
        }
        _flows.Clear();
        _oldest = _newest = null;
        _nextId = 1;
    }

    private void LinkNewest(FlowState flow)
    {
        flow.Older = _newest;
        flow.Newer = null;
        if (_newest is not null)
        {
            _newest.Newer = flow;
        }
        _newest = flow;
        _oldest ??= flow;
    }

    private void Unlink(FlowState flow)
    {
        if (flow.Older is not null)
        {
            flow.Older.Newer = flow.Newer;
        }
        else if (_oldest == flow)
        {
            _oldest = flow.Newer;
        }
        if (flow.Newer is not null)
        {
            flow.Newer.Older = flow.Older;
        }
        else if (_newest == flow)
        {
            _newest = flow.Older;
        }
        flow.Older = flow.Newer = null;
    }
}
