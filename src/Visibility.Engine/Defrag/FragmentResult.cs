namespace Visibility.Engine.Defrag;

/// <summary>What adding one fragment did.</summary>
public enum FragmentResult : byte
{
    /// <summary>Stored; the datagram is not complete yet.</summary>
    Pending = 0,

    /// <summary>This fragment completed the datagram; it was handed out.</summary>
    Complete = 1,

    /// <summary>The fragment could not be used (cut by the snap length, too large, table limits); see the anomaly.</summary>
    Dropped = 2,
}
