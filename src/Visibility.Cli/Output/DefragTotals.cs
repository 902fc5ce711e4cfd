using Visibility.Engine.Defrag;

namespace Visibility.Cli.Output;

/// <summary>IP reassembly statistics (EVE <c>stats.defrag</c>), summed over the pipelines of a run.</summary>
internal readonly record struct DefragTotals(long Fragments, long Reassembled, long TimedOut, long Evicted, long DroppedFragments)
{
    public static DefragTotals Sum(IEnumerable<FragmentReassembler> reassemblers)
    {
        ArgumentNullException.ThrowIfNull(reassemblers);
        long fragments = 0, reassembled = 0, timedOut = 0, evicted = 0, dropped = 0;
        foreach (FragmentReassembler r in reassemblers)
        {
            fragments += r.Fragments;
            reassembled += r.Reassembled;
            timedOut += r.TimedOut;
            evicted += r.Evicted;
            dropped += r.DroppedFragments;
        }
        return new DefragTotals(fragments, reassembled, timedOut, evicted, dropped);
    }
}
