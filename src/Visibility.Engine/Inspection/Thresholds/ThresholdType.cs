namespace Visibility.Engine.Inspection.Thresholds;

/// <summary>The <c>type</c> of a <c>threshold</c>, or <see cref="DetectionFilter"/> for <c>detection_filter</c>.</summary>
internal enum ThresholdType : byte
{
    /// <summary>Alert on the first <c>count</c> matches of each window.</summary>
    Limit = 0,
    /// <summary>Alert on every <c>count</c>-th match within a window.</summary>
    Threshold = 1,
    /// <summary>Alert once per window, on the <c>count</c>-th match.</summary>
    Both = 2,
    /// <summary>Alert on every match after the first <c>count</c> of a window.</summary>
    DetectionFilter = 3,
}
