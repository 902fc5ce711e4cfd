namespace Visibility.Cli.Capture;

/// <summary>Where an output record stands in the run's canonical order, which does not depend on how many workers
/// made it: the run-wide sequence number of the packet that caused it, then the phase within that packet, then a
/// tiebreak taken from the record's subject (a flow's last packet, an IKE SA's identity) or, for the records of the
/// packet itself, their order of emission on the one worker that processed it.</summary>
internal readonly record struct OrderKey(long Sequence, OrderPhase Phase, long A, long B, ulong C, ulong D) : IComparable<OrderKey>
{
    public int CompareTo(OrderKey other)
    {
        int c = Sequence.CompareTo(other.Sequence);
        if (c == 0)
        {
            c = Phase.CompareTo(other.Phase);
        }
        if (c == 0)
        {
            c = A.CompareTo(other.A);
        }
        if (c == 0)
        {
            c = B.CompareTo(other.B);
        }
        if (c == 0)
        {
            c = C.CompareTo(other.C);
        }
        return c != 0 ? c : D.CompareTo(other.D);
    }

    public static bool operator <(OrderKey left, OrderKey right) => left.CompareTo(right) < 0;

    public static bool operator >(OrderKey left, OrderKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(OrderKey left, OrderKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(OrderKey left, OrderKey right) => left.CompareTo(right) >= 0;
}
