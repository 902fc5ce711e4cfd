namespace Visibility.Engine.Flows;

/// <summary>The direction state of the flows inside ESP-NULL and WESP, for the rules' <c>flow</c> keyword: per
/// direction-less inner key, which endpoint sent first (the client) and whether each side has sent.</summary>
/// <remarks>
/// <para>An inner flow has no record, counters or protocol state, so it is a 72-byte entry in one array instead of a
/// <see cref="FlowState"/> object: a lookup touches the small index and one entry, both in arrays that stay in the
/// cache for thousands of inner flows, where a flow object each (408 bytes, allocated among the outer flows) cost a
/// cache miss on every decapsulated packet.</para>
/// <para>Bounded: when a new flow arrives at <see cref="Capacity"/>, the least recently seen one is forgotten and
/// its entry reused (its next packet starts it again, as the client).</para>
/// </remarks>
public sealed class InnerFlowTable
{
    private const int InitialSlots = 256;

    private Entry[] _index;
    private InnerFlow[] _flows;
    private SlotLruList _lru;
    private int _count;

    public InnerFlowTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        int slots = Math.Min(capacity, InitialSlots);
        _flows = new InnerFlow[slots];
        _lru = new SlotLruList(slots);
        _index = new Entry[LinearProbing.LengthFor(slots)];
    }

    /// <summary>The most inner flows remembered at once.</summary>
    public int Capacity { get; }

    public int Count => _count;

    /// <summary>Records a packet of the flow <paramref name="key"/> (a <see cref="FlowKey.ForPorts"/> key) and returns
    /// whether it goes to the server: from the endpoint that sent the flow's first packet.</summary>
    /// <param name="key">The inner flow's key.</param>
    /// <param name="fromFirst">The packet's source is the key's <see cref="FlowKey.First"/> endpoint (address and port).</param>
    /// <param name="established">Both sides have sent, this packet included.</param>
    public bool Observe(in FlowKey key, bool fromFirst, out bool established)
    {
        int hash = key.GetHashCode();
        Entry[] index = _index;
        int mask = index.Length - 1;
        for (int i = hash & mask; !index[i].IsEmpty; i = (i + 1) & mask)
        {
            Entry entry = index[i];
            if (entry.Hash == hash && FlowKey.Equals(in _flows[entry.Slot].Key, in key))
            {
                _lru.MoveToNewest(entry.Slot);
                return Record(ref _flows[entry.Slot], fromFirst, out established);
            }
        }
        int slot = TakeSlot();
        _flows[slot] = new InnerFlow { Key = key, Hash = hash, ClientIsFirst = fromFirst };
        _index[LinearProbing.FreePosition(_index, hash)] = new Entry(hash, slot);
        _lru.LinkNewest(slot);
        return Record(ref _flows[slot], fromFirst, out established);
    }

    /// <summary>Forgets every inner flow.</summary>
    public void Clear()
    {
        Array.Clear(_index);
        _lru.Clear();
        _count = 0;
    }

    private static bool Record(ref InnerFlow flow, bool fromFirst, out bool established)
    {
        bool toServer = fromFirst == flow.ClientIsFirst;
        if (toServer)
        {
            flow.SeenToServer = true;
        }
        else
        {
            flow.SeenToClient = true;
        }
        established = flow.SeenToServer && flow.SeenToClient;
        return toServer;
    }

    /// <summary>A slot for a new flow: the next unused one, or at capacity the least recently seen flow's (removed from
    /// the index and the list).</summary>
    private int TakeSlot()
    {
        if (_count == Capacity)
        {
            int oldest = _lru.Oldest;
            int mask = _index.Length - 1;
            int i = _flows[oldest].Hash & mask;
            while (_index[i].Slot != oldest)
            {
                i = (i + 1) & mask;
            }
            LinearProbing.RemoveAt(_index, i);
            _lru.Unlink(oldest);
            return oldest;
        }
        if (_count == _flows.Length)
        {
            int length = (int)Math.Min(2L * _flows.Length, Capacity);
            Array.Resize(ref _flows, length);
            _lru.Grow(length);
        }
        if (_count + 1 > _index.Length / 2)
        {
            _index = LinearProbing.Doubled(_index);
        }
        return _count++;
    }

    private struct InnerFlow
    {
        public FlowKey Key;
        public int Hash;
        public bool ClientIsFirst;
        public bool SeenToServer;
        public bool SeenToClient;
    }

    /// <summary>An index entry: the flow's hash and slot; slot 0 is stored as 1, so the default entry is empty.</summary>
    private readonly struct Entry(int hash, int slot) : IIndexEntry
    {
        private readonly int _slotPlusOne = slot + 1;

        public int Hash { get; } = hash;

        public int Slot => _slotPlusOne - 1;

        public bool IsEmpty => _slotPlusOne == 0;
    }
}
