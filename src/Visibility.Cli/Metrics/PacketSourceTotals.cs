using Visibility.Engine.Events;

namespace Visibility.Cli.Metrics;

/// <summary>Packets and bytes per input (a capture file or an interface), for <c>visibility_packets_total{source}</c>
/// and <c>visibility_bytes_total{source}</c>. The totals over all sources equal the engine's packet and byte
/// counters.</summary>
/// <remarks>Two ways to feed it, neither with a lock or an allocation per packet. Live capture: fixed sources, and
/// the processing thread calls <see cref="Count"/> per frame. Replay: <see cref="BeginFile"/> at each file, and the
/// file's share is read from the engine counters at scrape time (the lock is taken once per file and per
/// scrape, never per packet).</remarks>
internal sealed class PacketSourceTotals
{
    private readonly EngineCounters _counters;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private Entry[] _fixed = [];
    private Entry? _open;

    public PacketSourceTotals(EngineCounters counters) => _counters = counters;

    /// <summary>Live capture: one source per name, counted by <see cref="Count"/>.</summary>
    public void SetFixedSources(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_lock)
        {
            _fixed = new Entry[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                _fixed[i] = new Entry(names[i]);
                _entries.Add(_fixed[i]);
            }
        }
    }

    /// <summary>Live capture, processing thread: one frame from source <paramref name="index"/>.</summary>
    public void Count(int index, int bytes)
    {
        Entry entry = _fixed[index];
        entry.Packets++;
        entry.Bytes += bytes;
    }

    /// <summary>Replay, processing thread: packets counted from now on belong to <paramref name="name"/>.</summary>
    public void BeginFile(string name)
    {
        lock (_lock)
        {
            CloseOpenFile();
            Entry? existing = _entries.Find(e => e.Name == name);
            _open = existing ?? new Entry(name);
            if (existing is null)
            {
                _entries.Add(_open);
            }
            _open.BasePackets = _counters.Packets - _open.Packets;
            _open.BaseBytes = _counters.Bytes - _open.Bytes;
        }
    }

    /// <summary>Replay, processing thread: the current file is done.</summary>
    public void EndFile()
    {
        lock (_lock)
        {
            CloseOpenFile();
        }
    }

    /// <summary>Scrape thread: the totals per source, at this moment.</summary>
    public void Read(List<(string Name, long Packets, long Bytes)> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            foreach (Entry entry in _entries)
            {
                if (ReferenceEquals(entry, _open))
                {
                    into.Add((entry.Name, Volatile.Read(ref _counters.Packets) - entry.BasePackets, Volatile.Read(ref _counters.Bytes) - entry.BaseBytes));
                }
                else
                {
                    into.Add((entry.Name, Volatile.Read(ref entry.Packets), Volatile.Read(ref entry.Bytes)));
                }
            }
        }
    }

    private void CloseOpenFile()
    {
        if (_open is not null)
        {
            _open.Packets = _counters.Packets - _open.BasePackets;
            _open.Bytes = _counters.Bytes - _open.BaseBytes;
            _open = null;
        }
    }

    private sealed class Entry(string name)
    {
        public string Name { get; } = name;

        public long Packets;
        public long Bytes;
        public long BasePackets;
        public long BaseBytes;
    }
}
