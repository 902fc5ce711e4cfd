using Visibility.Cli.Metrics;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Capture;

/// <summary>Outputs and limits of one <see cref="SensorSession"/>.</summary>
internal sealed record SessionSettings
{
    /// <summary>EVE output path, "-" for standard output, null for none.</summary>
    public string? EvePath { get; init; }

    /// <summary>Start a new EVE file past this many bytes (files only); null never rotates.</summary>
    public long? EveRotateBytes { get; init; }

    /// <summary>Rotated EVE files kept.</summary>
    public int EveRotateKeep { get; init; } = 10;

    /// <summary>Raw-IP pcap that receives every decapsulated cleartext packet (<c>--write-inner</c>), or null.</summary>
    public string? WriteInnerPath { get; init; }

    /// <summary>Where to serve metrics; null for no endpoint.</summary>
    public ListenAddress? MetricsListen { get; init; }

    public PipelineOptions Pipeline { get; init; } = new();

    /// <summary>The compiled inspection rules.</summary>
    public RuleSet Rules { get; init; } = RuleSet.Empty;

    /// <summary>Pipelines the frames are spread over by address pair (<c>--workers</c>).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Write output in the canonical order whatever <see cref="Workers"/> is (replay). Otherwise one worker
    /// processes frames directly on the reader's thread and writes as it goes.</summary>
    public bool Ordered { get; init; }

    /// <summary>Several workers, each run directly by a thread of the caller's (inline: one engine thread per worker),
    /// instead of a <see cref="ShardedPipeline"/>: each writes its records as they happen, whole, to the shared
    /// outputs, so records are never interleaved but are not in the canonical order across workers. Ignored with one
    /// worker (that is direct anyway).</summary>
    public bool Concurrent { get; init; }

    /// <summary>The inputs (capture files or interfaces), indexed by the <c>source</c> of each frame; their names
    /// become <c>pcap_filename</c> of ordered output.</summary>
    public IReadOnlyList<string> SourceNames { get; init; } = [];
}
