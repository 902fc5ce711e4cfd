using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Metrics;

/// <summary>One pipeline with the event sinks that count its ESP verdicts and rule matches: what
/// <see cref="PipelineMetricsSource"/> reads per worker.</summary>
internal sealed record PipelineMetrics(PacketPipeline Pipeline, EspMetricsSink Esp, RuleMatchSink Rules);
