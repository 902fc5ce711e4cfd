namespace Visibility.Cli.Capture;

/// <summary>What one event of a worker wrote: its place in the canonical order and its byte ranges in the worker's
/// EVE and inner-packet buffers (empty ranges when it wrote to only one).</summary>
internal readonly record struct OutputEntry(OrderKey Key, int EveStart, int EveLength, int InnerStart, int InnerLength);
