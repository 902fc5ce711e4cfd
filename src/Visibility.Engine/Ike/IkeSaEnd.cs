namespace Visibility.Engine.Ike;

/// <summary>Why an IKE SA's record was written (with <see cref="IkeSa.State"/> it gives EVE <c>ike_sa.outcome</c>).</summary>
public enum IkeSaEnd : byte
{
    /// <summary>Still tracked.</summary>
    None = 0,

    /// <summary>It reached a terminal state and lingered long enough for late retransmissions.</summary>
    Terminal = 1,

    /// <summary>Half-open or established, and idle (no IKE message, no ESP packet of a linked flow) past its timeout.</summary>
    TimedOut = 2,

    /// <summary>Evicted because the SA table was full.</summary>
    Evicted = 3,

    /// <summary>Still tracked when the input ended.</summary>
    Shutdown = 4,
}
