using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Visibility.Engine.Events;

namespace Visibility.Cli.Capture;

/// <summary>The end-of-run summary of a live capture: totals, per-interface capture counters and drops.</summary>
internal static class LiveSummary
{
    public static void WriteText(TextWriter target, SensorSession session, IReadOnlyList<(string Name, CaptureStatistics Statistics)> interfaces, TimeSpan elapsed)
    {
        EngineCounters c = session.Counters;
        double rate = elapsed.TotalSeconds > 0 ? c.Packets / elapsed.TotalSeconds : 0;
        target.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Visibility live: {interfaces.Count} interface(s), {c.Packets:N0} packets, {c.Bytes:N0} bytes in {elapsed.TotalSeconds:0.###} s ({rate:N0} packets/s)"));
        target.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{session.Summary.FlowRecords:N0} flows; {session.EveRecords:N0} EVE records; IPv4 {c.IPv4:N0}, IPv6 {c.IPv6:N0}, TCP {c.Tcp:N0}, UDP {c.Udp:N0}, ESP {c.Esp + c.EspUdp:N0}, WESP {c.Wesp:N0}, IKE {c.Ike:N0}, invalid {c.Invalid:N0}"));
        foreach ((string name, CaptureStatistics s) in interfaces)
        {
            target.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: received {s.Received:N0}, kernel drops {s.KernelDropped:N0}, interface drops {s.InterfaceDropped:N0}, ring overflows {s.RingOverflows:N0}"));
        }
        target.Flush();
    }

    public static void WriteJson(TextWriter target, SensorSession session, IReadOnlyList<(string Name, CaptureStatistics Statistics)> interfaces, TimeSpan elapsed)
    {
        EngineCounters c = session.Counters;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("packets", c.Packets);
            json.WriteNumber("bytes", c.Bytes);
            json.WriteNumber("elapsed_seconds", elapsed.TotalSeconds);
            json.WriteNumber("packets_per_second", elapsed.TotalSeconds > 0 ? Math.Round(c.Packets / elapsed.TotalSeconds) : 0);
            json.WriteNumber("flows", session.Summary.FlowRecords);
            json.WriteNumber("eve_records", session.EveRecords);
            json.WriteNumber("invalid", c.Invalid);
            json.WriteStartArray("interfaces");
            foreach ((string name, CaptureStatistics s) in interfaces)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteNumber("received", s.Received);
                json.WriteNumber("kernel_drops", s.KernelDropped);
                json.WriteNumber("interface_drops", s.InterfaceDropped);
                json.WriteNumber("ring_overflows", s.RingOverflows);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        target.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        target.Flush();
    }
}
