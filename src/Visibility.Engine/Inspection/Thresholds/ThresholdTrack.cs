namespace Visibility.Engine.Inspection.Thresholds;

/// <summary>What a threshold counts per: <c>by_src</c>, <c>by_dst</c>, <c>by_rule</c> or <c>by_both</c>.</summary>
internal enum ThresholdTrack : byte
{
    BySource = 0,
    ByDestination = 1,
    ByRule = 2,
    ByBoth = 3,
}
