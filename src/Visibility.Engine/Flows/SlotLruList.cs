namespace Visibility.Engine.Flows;

/// <summary>An exact least-recently-used order over slot numbers, for the flow tables: the links are slot numbers in one
/// array, so moving a slot touches three small entries and no flow, and (holding no references) needs no GC write
/// barrier.</summary>
/// <remarks>A mutable struct kept in a field of its table (never copied), so the table reaches the links without a
/// further object hop on every packet.</remarks>
internal struct SlotLruList
{
    public const int None = -1;

    private Link[] _links;

    public SlotLruList(int slots)
    {
        _links = new Link[slots];
        Oldest = Newest = None;
    }

    /// <summary>The least recently used slot, or <see cref="None"/>.</summary>
    public int Oldest { readonly get; private set; }

    /// <summary>The most recently used slot, or <see cref="None"/>.</summary>
    public int Newest { readonly get; private set; }

    /// <summary>The slot used next after <paramref name="slot"/>, or <see cref="None"/>.</summary>
    public readonly int NewerThan(int slot) => _links[slot].Newer;

    /// <summary>Makes room for slot numbers below <paramref name="slots"/>.</summary>
    public void Grow(int slots) => Array.Resize(ref _links, slots);

    /// <summary>Forgets every slot (their links are rewritten when they are linked again).</summary>
    public void Clear() => Oldest = Newest = None;

    public void MoveToNewest(int slot)
    {
        if (slot != Newest)
        {
            Unlink(slot);
            LinkNewest(slot);
        }
    }

    public void LinkNewest(int slot)
    {
        ref Link link = ref _links[slot];
        link.Older = Newest;
        link.Newer = None;
        if (Newest != None)
        {
            _links[Newest].Newer = slot;
        }
        else
        {
            Oldest = slot;
        }
        Newest = slot;
    }

    public void Unlink(int slot)
    {
        ref Link link = ref _links[slot];
        if (link.Older != None)
        {
            _links[link.Older].Newer = link.Newer;
        }
        else
        {
            Oldest = link.Newer;
        }
        if (link.Newer != None)
        {
            _links[link.Newer].Older = link.Older;
        }
        else
        {
            Newest = link.Older;
        }
        link.Older = link.Newer = None;
    }

    private struct Link
    {
        public int Older;
        public int Newer;
    }
}
