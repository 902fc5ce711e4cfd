namespace Visibility.Cli.Replay;

/// <summary>Facts about a replay that the summary needs beyond the engine counters.</summary>
internal sealed record RunStatistics(
    IReadOnlyList<string> Files,
    long FirstPacketNanoseconds,
    long LastPacketNanoseconds,
    TimeSpan Elapsed,
    long EveRecords,
    IReadOnlyList<string> Errors)
{
    /// <summary>Rules in force.</summary>
    public int Rules { get; init; }
}
