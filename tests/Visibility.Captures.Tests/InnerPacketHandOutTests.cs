using Visibility.Engine.Events;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests;

/// <summary><see cref="PipelineOptions.InnerPackets"/>: off (no <c>--write-inner</c>), the sink gets no cleartext
/// packets, while the rules still see them and the counts stay the same.</summary>
public sealed class InnerPacketHandOutTests
{
    [Fact]
    public void Off_NoCleartextPacketsToTheSink_SameAlertsAndCounts()
    {
        (RecordingSink on, EngineCounters onCounters) = Run(innerPackets: true);
        (RecordingSink off, EngineCounters offCounters) = Run(innerPackets: false);

        Assert.True(on.InnerPackets > 0);
        Assert.Equal(onCounters.EspCleartext, on.InnerPackets);
        Assert.Equal(0, off.InnerPackets);
        Assert.NotEmpty(on.Alerts);
        Assert.Equal(on.Alerts, off.Alerts);
        Assert.Equal(onCounters.EspCleartext, offCounters.EspCleartext);
        Assert.Equal(onCounters.Alerts, offCounters.Alerts);
    }

    private static (RecordingSink Sink, EngineCounters Counters) Run(bool innerPackets)
    {
        // Rules over the inner packets of the capture's ESP-NULL SAs (HTTP, FTP, SIP inside).
        RuleSet rules = RuleSet.Compile(RuleParser.Parse("alert ip any any -> any any (msg:\"inner packet\"; sid:1;)").Rules);
        var sink = new RecordingSink();
        var pipeline = new PacketPipeline(new PipelineOptions { InnerPackets = innerPackets }, sink) { Rules = rules };
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap")));
        while (reader.TryReadNext(out CaptureRecord r))
        {
            pipeline.Process(r.Data, r.OriginalLength, r.TimestampNanoseconds, r.LinkType, r.FrameNumber);
        }
        pipeline.Finish();
        return (sink, pipeline.Counters);
    }
}
