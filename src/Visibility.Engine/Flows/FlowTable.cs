namespace Visibility.Engine.Flows;

/// <summary>The flow table: a hash index from <see cref="FlowKey"/> to pooled <see cref="FlowState"/> objects, with a
/// least-recently-used list for expiry (on packet time) and eviction when full.</summary>
/// <remarks>
/// <para>Bounded: at most <see cref="Capacity"/> flows live at once; the caller evicts the oldest before adding to a
/// full table (so it can write the evicted flow's record first). Flow objects are recycled, so a second run over the
/// same traffic allocates nothing.</para>
/// <para>Every packet looks its flow up and moves it to the newest end of the list, usually in a table far larger than
/// the CPU caches, so the layout is chosen for few dependent cache misses: the index is an open-addressing table
/// (linear probing, at most half full) of 16-byte (flow, hash, slot) entries, so a lookup goes from its index entry
/// straight to the flow object; a hash mismatch is rejected without touching the object. When the hash matches, the
/// lines of the object the packet will touch are requested together (<see cref="FlowState.LoadHotLines"/>, see
/// <see cref="FlowState"/> for the layout). Each flow object owns a fixed slot number and the list links are slot
/// numbers in one small array (<see cref="SlotLruList"/>), loaded from the entry's slot while the object is on its
/// way. Hashes are
/// <see cref="FlowKey.GetHashCode"/>, keyed per process, so traffic cannot be crafted to collide.</para>
/// </remarks>
public sealed class FlowTable
{
    private const int InitialSlots = 1024;

    // Index entries lead straight to the flow object (a null Flow is an empty entry).
    private Entry[] _index;
    private int _indexMask;

    // By slot: the flow object and its place in the least-recently-used list.
    private FlowState[] _slots;
    private SlotLruList _lru;
    private int _slotCount;
    private int[] _freeSlots;
    private int _freeCount;

    // Where the bytes read to start loading a found flow's lines go (kept, so the reads are kept).
    private int _hotLineBytes;

    private int _count;
    private long _nextId = 1;

    public FlowTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        int slots = Math.Min(capacity, InitialSlots);
        _slots = new FlowState[slots];
        _lru = new SlotLruList(slots);
        _freeSlots = new int[slots];
        _index = new Entry[LinearProbing.LengthFor(slots)];
        _indexMask = _index.Length - 1;
    }

    /// <summary>The most flows held at once.</summary>
    public int Capacity { get; }

    public int Count => _count;

    public bool IsFull => _count >= Capacity;

    /// <summary>The flow idle longest, or null when the table is empty.</summary>
    public FlowState? Oldest => _lru.Oldest == SlotLruList.None ? null : _slots[_lru.Oldest];

    /// <summary>Finds the flow for <paramref name="key"/> or creates it (with the next flow id) and marks it the
    /// most recently used. The caller must make room first when <see cref="IsFull"/>.</summary>
    public FlowState GetOrAdd(in FlowKey key, out bool created)
    {
        int hash = key.GetHashCode();
        Entry[] index = _index;
        int mask = _indexMask;
        int i = hash & mask;
        while (true)
        {
            ref Entry entry = ref index[i];
            FlowState? candidate = entry.Flow;
            if (candidate is null)
            {
                break;
            }
            if (entry.Hash != hash)
            {
                i = (i + 1) & mask;
                continue;
            }
            _hotLineBytes = candidate.LoadHotLines(key.IsEsp);
            if (FlowKey.Equals(in candidate.KeyField, in key))
            {
                created = false;
                _lru.MoveToNewest(entry.Slot);
                return candidate;
            }
            i = (i + 1) & mask;
        }

        if (_count + 1 > _index.Length / 2)
        {
            _index = LinearProbing.Doubled(_index);
            _indexMask = _index.Length - 1;
            i = LinearProbing.FreePosition(_index, hash);
        }
        FlowState flow = TakeSlot();
        flow.Key = key;
        flow.Hash = hash;
        flow.Id = _nextId++;
        _index[i] = new Entry(flow, hash, flow.Slot);
        _count++;
        _lru.LinkNewest(flow.Slot);
        created = true;
        return flow;
    }

    /// <summary>Removes <paramref name="flow"/> from the table. Hand it back with <see cref="Release"/> once its record
    /// has been written.</summary>
    public void Remove(FlowState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        int i = flow.Hash & _indexMask;
        while (_index[i].Flow != flow)
        {
            if (_index[i].Flow is null)
            {
                return;
            }
            i = (i + 1) & _indexMask;
        }
        LinearProbing.RemoveAt(_index, i);
        _lru.Unlink(flow.Slot);
        _count--;
    }

    /// <summary>Returns a removed flow's object to the pool.</summary>
    public void Release(FlowState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        flow.Reset();
        _freeSlots[_freeCount++] = flow.Slot;
    }

    /// <summary>The open flows from the least to the most recently used (not while the table changes).</summary>
    public IEnumerable<FlowState> OldestFirst()
    {
        for (int slot = _lru.Oldest; slot != SlotLruList.None; slot = _lru.NewerThan(slot))
        {
            yield return _slots[slot];
        }
    }

    /// <summary>Forgets every flow without writing records and restarts flow ids at 1 (objects return to the pool).</summary>
    public void Clear()
    {
        for (int slot = _lru.Oldest; slot != SlotLruList.None;)
        {
            int newer = _lru.NewerThan(slot);
            Release(_slots[slot]);
            slot = newer;
        }
        Array.Clear(_index);
        _lru.Clear();
        _count = 0;
        _nextId = 1;
    }

    private FlowState TakeSlot()
    {
        if (_freeCount > 0)
        {
            return _slots[_freeSlots[--_freeCount]];
        }
        if (_slotCount == _slots.Length)
        {
            // Up to the capacity; beyond it only when a caller adds to a full table without evicting first.
            int length = _slots.Length < Capacity ? (int)Math.Min(2L * _slots.Length, Capacity) : _slots.Length * 2;
            Array.Resize(ref _slots, length);
            _lru.Grow(length);
            Array.Resize(ref _freeSlots, length);
        }
        var flow = new FlowState { Slot = _slotCount };
        _slots[_slotCount++] = flow;
        return flow;
    }

    /// <summary>An index entry: the flow, its key's hash (most mismatches are rejected without touching the flow) and
    /// its slot (so the list links can be loaded while the flow object is still on its way from memory).</summary>
    private readonly struct Entry(FlowState flow, int hash, int slot) : IIndexEntry
    {
        public readonly FlowState? Flow = flow;
        public readonly int Slot = slot;

        public int Hash { get; } = hash;

        public bool IsEmpty => Flow is null;
    }
}
