using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Visibility.Engine.Events;

namespace Visibility.Cli.Capture;

/// <summary>The end-of-run summary of the inline bridge: totals, per direction what was passed, dropped by rules
/// and decided by the failure mode (and why), the verdict latency percentiles, and the ports' capture counters.</summary>
internal static class InlineSummary
{
    public static void WriteText(TextWriter target, SensorSession session, InlineBridge bridge, IReadOnlyList<CaptureStatistics> ports, TimeSpan elapsed)
    {
        EngineCounters c = session.Counters;
        InlineLatency l = bridge.Latency;
        target.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Visibility inline: {bridge.Ports[0].Name} <-> {bridge.Ports[1].Name}, {c.Packets:N0} packets inspected, {c.Bytes:N0} bytes in {elapsed.TotalSeconds:0.###} s"));
        target.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{session.Summary.FlowRecords:N0} flows; {session.EveRecords:N0} EVE records; {c.Alerts:N0} alerts, {c.DropVerdicts:N0} drop verdicts"));
        foreach (InlineDirection d in bridge.Directions)
        {
            target.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {d.Label}: passed {d.Passed:N0}, dropped {d.Dropped:N0}, fail-open {d.FailOpen:N0}, fail-closed {d.FailClosed:N0} (timeout {d.Timeouts:N0}, busy {d.Busy:N0}, queue full {d.QueueFull:N0}, engine error {d.EngineErrors:N0}), send errors {d.SendErrors:N0}"));
        }
        target.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  verdict latency: p50 {Micro(l.Percentile(0.5))} us, p90 {Micro(l.Percentile(0.9))} us, p99 {Micro(l.Percentile(0.99))} us, max {Micro(l.MaxNanoseconds)} us over {l.Count:N0} frames"));
        for (int i = 0; i < ports.Count; i++)
        {
            CaptureStatistics s = ports[i];
            target.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {bridge.Ports[i].Name}: received {s.Received:N0}, kernel drops {s.KernelDropped:N0}, interface drops {s.InterfaceDropped:N0}"));
        }
        target.Flush();
    }

    public static void WriteJson(TextWriter target, SensorSession session, InlineBridge bridge, IReadOnlyList<CaptureStatistics> ports, TimeSpan elapsed)
    {
        EngineCounters c = session.Counters;
        InlineLatency l = bridge.Latency;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("packets", c.Packets);
            json.WriteNumber("bytes", c.Bytes);
            json.WriteNumber("elapsed_seconds", elapsed.TotalSeconds);
            json.WriteNumber("flows", session.Summary.FlowRecords);
            json.WriteNumber("eve_records", session.EveRecords);
            json.WriteNumber("alerts", c.Alerts);
            json.WriteNumber("drop_verdicts", c.DropVerdicts);
            json.WriteStartArray("directions");
            foreach (InlineDirection d in bridge.Directions)
            {
                json.WriteStartObject();
                json.WriteString("direction", d.Label);
                json.WriteString("from", bridge.Ports[d.Index].Name);
                json.WriteString("to", bridge.Ports[1 - d.Index].Name);
                json.WriteNumber("passed", d.Passed);
                json.WriteNumber("dropped", d.Dropped);
                json.WriteNumber("fail_open", d.FailOpen);
                json.WriteNumber("fail_closed", d.FailClosed);
                json.WriteNumber("timeouts", d.Timeouts);
                json.WriteNumber("busy", d.Busy);
                json.WriteNumber("queue_full", d.QueueFull);
                json.WriteNumber("engine_errors", d.EngineErrors);
                json.WriteNumber("skipped", d.Skipped);
                json.WriteNumber("send_errors", d.SendErrors);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("verdict_latency_us");
            json.WriteNumber("frames", l.Count);
            json.WriteNumber("mean", Math.Round(l.MeanNanoseconds / 1000, 1));
            json.WriteNumber("p50", l.Percentile(0.5) / 1000.0);
            json.WriteNumber("p90", l.Percentile(0.9) / 1000.0);
            json.WriteNumber("p99", l.Percentile(0.99) / 1000.0);
            json.WriteNumber("max", l.MaxNanoseconds / 1000.0);
            json.WriteEndObject();
            json.WriteStartArray("interfaces");
            for (int i = 0; i < ports.Count; i++)
            {
                CaptureStatistics s = ports[i];
                json.WriteStartObject();
                json.WriteString("name", bridge.Ports[i].Name);
                json.WriteNumber("received", s.Received);
                json.WriteNumber("kernel_drops", s.KernelDropped);
                json.WriteNumber("interface_drops", s.InterfaceDropped);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        target.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        target.Flush();
    }

    private static string Micro(long nanoseconds) => (nanoseconds / 1000.0).ToString("0.#", CultureInfo.InvariantCulture);
}
