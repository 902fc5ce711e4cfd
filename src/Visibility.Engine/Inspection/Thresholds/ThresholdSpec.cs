namespace Visibility.Engine.Inspection.Thresholds;

/// <summary>A parsed <c>threshold</c> or <c>detection_filter</c> option.</summary>
internal sealed class ThresholdSpec(ThresholdType type, ThresholdTrack track, int count, int seconds)
{
    public ThresholdType Type { get; } = type;

    public ThresholdTrack Track { get; } = track;

    public int Count { get; } = count;

    public int Seconds { get; } = seconds;

    public long WindowNanoseconds => Seconds * 1_000_000_000L;
}
