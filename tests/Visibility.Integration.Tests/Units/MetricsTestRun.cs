using System.Text;
using System.Text.Json;
using Visibility.Cli.Eve;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Cli.Rules;
using Visibility.Engine.Events;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Integration.Tests.Infrastructure;
using Visibility.Wire.Pcap;

namespace Visibility.Integration.Tests.Units;

/// <summary>One pipeline over repository captures with the metric sinks and an EVE writer side by side, so a test can
/// compare what the metrics counted with the records written.</summary>
internal sealed class MetricsTestRun
{
    private readonly MemoryStream _eve = new();
    private readonly EveWriter _writer;

    public MetricsTestRun(bool rules = false, string? keysFolder = null)
    {
        _writer = new EveWriter(_eve, ownsStream: false);
        PipelineOptions options = new();
        if (keysFolder is not null)
        {
            Cli.Replay.KeyLoader.Keys keys = Cli.Replay.KeyLoader.Load(keysFolder);
            options = new PipelineOptions { Ike = new Engine.Ike.IkeTrackerOptions { IkeKeys = keys.Ike, EspKeys = keys.Esp } };
        }
        Pipeline = new PacketPipeline(options, new FanOutSink(_writer, Esp, Rules))
        {
            Rules = rules ? RuleLoader.Compile(Path.Combine(RepositoryPaths.Root, "rules"), [], _ => { }) : RuleSet.Empty,
        };
    }

    public PacketPipeline Pipeline { get; }

    public EspMetricsSink Esp { get; } = new();

    public RuleMatchSink Rules { get; } = new();

    public PipelineMetrics Metrics => new(Pipeline, Esp, Rules);

    /// <summary>Runs a capture (path relative to captures/) through the pipeline, without ending its flows.</summary>
    public MetricsTestRun Feed(string capture)
    {
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(Path.Combine(RepositoryPaths.Root, "captures", capture)));
        while (reader.TryReadNext(out CaptureRecord record))
        {
            Pipeline.Process(record.Data, record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber);
        }
        return this;
    }

    /// <summary>The EVE records written so far (and forgets them).</summary>
    public List<JsonElement> TakeRecords()
    {
        _writer.Flush();
        string text = Encoding.UTF8.GetString(_eve.ToArray());
        _eve.SetLength(0);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    public static int Count(IEnumerable<JsonElement> records, string eventType, Func<JsonElement, bool>? where = null) =>
        records.Count(r => r.GetProperty("event_type").GetString() == eventType && (where is null || where(r)));
}
