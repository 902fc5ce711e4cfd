namespace Visibility.Cli.Capture;

/// <summary>What the engine said about one bridged frame.</summary>
internal enum InlineVerdict
{
    /// <summary>Inspected; no <c>drop</c> rule matched: forward it.</summary>
    Pass = 0,

    /// <summary>Inspected; a <c>drop</c> rule matched: do not forward it.</summary>
    Drop = 1,

    /// <summary>The engine threw while inspecting it: the failure mode decides.</summary>
    Error = 2,

    /// <summary>Not inspected: the capture thread had already given up on it (it went by the failure mode).</summary>
    Skipped = 3,
}
