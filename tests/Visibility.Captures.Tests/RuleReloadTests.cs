using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests;

/// <summary>Swapping the rule set between packets (what SIGHUP does in the service) takes effect at the next packet,
/// and no packet is lost or inspected twice.</summary>
public sealed class RuleReloadTests
{
    [Fact]
    public void SwapBetweenPackets_NewRulesApplyFromTheNextPacket()
    {
        RuleSet first = RuleSet.Compile(RuleParser.Parse("alert ip any any -> any any (msg:\"any packet\"; sid:1;)").Rules);
        RuleSet second = RuleSet.Compile(RuleParser.Parse("alert ip any any -> any any (msg:\"any packet, new\"; sid:2;)").Rules);
        var sink = new RecordingSink();
        var pipeline = new PacketPipeline(new PipelineOptions(), sink) { Rules = first };
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(RepositoryPaths.Capture("synthetic/rules/plain.pcap")));
        long frames = 0;
        while (reader.TryReadNext(out CaptureRecord r))
        {
            frames++;
            if (frames == 9)
            {
                pipeline.Rules = second;
            }
            pipeline.Process(r.Data, r.OriginalLength, r.TimestampNanoseconds, r.LinkType, r.FrameNumber);
        }
        Assert.Equal(Enumerable.Range(1, 8).Select(i => ((long)i, 1u)), sink.Alerts.Where(a => a.Frame < 9));
        Assert.Equal(Enumerable.Range(9, (int)frames - 8).Select(i => ((long)i, 2u)), sink.Alerts.Where(a => a.Frame >= 9));
    }
}
