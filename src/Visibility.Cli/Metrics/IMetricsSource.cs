namespace Visibility.Cli.Metrics;

/// <summary>A part of the sensor that has metrics of its own beyond <c>EngineCounters</c> (ESP classification,
/// IKE tracking, rules, capture drops). <see cref="MetricsExporter"/> calls <see cref="Collect"/> at every scrape,
/// on the scrape thread.</summary>
/// <remarks>
/// Contract for implementers: the processing thread keeps plain <see cref="long"/> fields and bumps them with
/// ordinary increments (no lock, no allocation per packet); <see cref="Collect"/> reads them with
/// <c>Volatile.Read</c> and reports cumulative totals (counters) or current values (gauges)
/// through the <see cref="IMetricsWriter"/>. Label values should come from small fixed sets (IANA names, verdicts,
/// states). A metric no source reports stays at zero.
/// </remarks>
internal interface IMetricsSource
{
    void Collect(IMetricsWriter metrics);
}
