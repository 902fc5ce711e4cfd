using Visibility.Cli.Capture;

namespace Visibility.Cli.Replay;

/// <summary>What <c>visibility replay</c> was asked to do.</summary>
internal sealed record ReplayOptions : SensorCommandOptions
{
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>After the replay, keep serving metrics until SIGINT/SIGTERM.</summary>
    public bool Hold { get; init; }
}
