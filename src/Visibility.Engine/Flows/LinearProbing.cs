using System.Numerics;

namespace Visibility.Engine.Flows;

/// <summary>The slow-path operations of the flow tables' open-addressing indexes (linear probing, length a power of
/// two, at most half full): finding a free position and removing an entry. Generic over the entry struct, so each
/// table gets its own compiled copy.</summary>
internal static class LinearProbing
{
    /// <summary>The length of an index that holds <paramref name="entries"/> at most half full.</summary>
    public static int LengthFor(int entries) => (int)BitOperations.RoundUpToPowerOf2((uint)entries * 2);

    /// <summary>The first empty position of <paramref name="hash"/>'s probe run.</summary>
    public static int FreePosition<TEntry>(TEntry[] index, int hash)
        where TEntry : struct, IIndexEntry
    {
        int mask = index.Length - 1;
        int i = hash & mask;
        while (!index[i].IsEmpty)
        {
            i = (i + 1) & mask;
        }
        return i;
    }

    /// <summary>Empties position <paramref name="hole"/> by shifting back the entries of its probe run that would no
    /// longer be found (linear probing needs no tombstones).</summary>
    public static void RemoveAt<TEntry>(TEntry[] index, int hole)
        where TEntry : struct, IIndexEntry
    {
        int mask = index.Length - 1;
        int i = hole;
        while (true)
        {
            i = (i + 1) & mask;
            TEntry entry = index[i];
            if (entry.IsEmpty)
            {
                break;
            }
            // The entry may fill the hole when its home position is not cyclically within (hole, i].
            int home = entry.Hash & mask;
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                index[hole] = entry;
                hole = i;
            }
        }
        index[hole] = default;
    }

    /// <summary>A new index of twice the length holding the entries of <paramref name="index"/>.</summary>
    public static TEntry[] Doubled<TEntry>(TEntry[] index)
        where TEntry : struct, IIndexEntry
    {
        var doubled = new TEntry[index.Length * 2];
        foreach (TEntry entry in index)
        {
            if (!entry.IsEmpty)
            {
                doubled[FreePosition(doubled, entry.Hash)] = entry;
            }
        }
        return doubled;
    }
}
