using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>Where a reader (capture file, live interface, inline bridge) hands its frames: one pipeline directly, or a
/// <see cref="SensorSession"/> that spreads them over its workers.</summary>
internal interface IFrameSink
{
    /// <summary>One frame.</summary>
    /// <param name="frame">The captured bytes (valid for this call only).</param>
    /// <param name="originalLength">The frame's length on the wire.</param>
    /// <param name="timestampNanoseconds">Capture time, nanoseconds since the Unix epoch.</param>
    /// <param name="linkType">The link-layer header type.</param>
    /// <param name="frameNumber">1-based record number in its file (0 when live).</param>
    /// <param name="source">Index of the input among the session's sources (a file or an interface), or -1.</param>
    void Process(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, LinkType linkType, long frameNumber, int source);

    /// <summary>Input went quiet: process what is held back now.</summary>
    void Idle();
}
