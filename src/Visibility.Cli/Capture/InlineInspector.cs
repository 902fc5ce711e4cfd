namespace Visibility.Cli.Capture;

/// <summary>Runs one bridged frame through the engine on the engine thread and says whether a rule dropped it.</summary>
/// <param name="frame">The captured bytes (valid for this call only).</param>
/// <param name="originalLength">The frame's length on the wire.</param>
/// <param name="timestampNanoseconds">Capture time, nanoseconds since the Unix epoch.</param>
/// <param name="directionIndex">0 for frames from <c>--in</c>, 1 for frames from <c>--out</c>.</param>
internal delegate InlineVerdict InlineInspector(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, int directionIndex);
