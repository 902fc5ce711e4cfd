using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using PacketDotNet;
using System.Text.RegularExpressions;
using Visibility.Cli.Capture;
using Visibility.Cli.Replay;
using Visibility.Cli.Rules;
using Visibility.Engine.Ike;
using Visibility.Engine.Pipeline;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests;

/// <summary>Replay output does not depend on <c>--workers</c>: every capture in captures/, replayed with 1, 2 and 3
/// workers (with the shipped rules, and the capture's keys when it has some), gives byte-identical EVE, inner-packet
/// pcap and summary.</summary>
public sealed partial class WorkerDeterminismTests
{
    /// <summary>Captures whose client is redirected (RFC 5685) to another gateway: the new SA's
    /// <c>redirected_from_sa</c> comes from the IKE SA of another address pair, which is on another worker when the
    /// pairs hash apart. Everything else in them must still be identical.</summary>
    private static readonly string[] s_crossPairRedirects =
    [
        "synthetic/peer/redirect-auth/capture.pcap",
        "synthetic/peer/redirect-informational/capture.pcap",
        "synthetic/peer/redirect-init/capture.pcap",
        "synthetic/ike/ss-redirect/capture.pcap",
    ];

    public static TheoryData<string> Captures() => new(RepositoryPaths.AllCaptures());

    [Theory]
    [MemberData(nameof(Captures))]
    public void Replay_OneTwoThreeWorkers_ByteIdenticalOutput(string capture)
    {
        string path = RepositoryPaths.Capture(capture);
        string folder = Path.GetDirectoryName(path)!;
        string? keys = File.Exists(Path.Combine(folder, "ikev2_decryption_table")) || File.Exists(Path.Combine(folder, "esp_sa")) ? folder : null;
        Output one = Replay([path], keys, 1);
        Assert.Equal(0, one.ExitCode);
        Assert.NotEmpty(one.Eve);
        for (int workers = 2; workers <= 3; workers++)
        {
            Output many = Replay([path], keys, workers);
            Assert.Equal(one.ExitCode, many.ExitCode);
            if (s_crossPairRedirects.Contains(capture))
            {
                Assert.Equal(WithoutRedirectedFromSa(one.EveText), WithoutRedirectedFromSa(many.EveText));
            }
            else
            {
                Assert.True(one.Eve.AsSpan().SequenceEqual(many.Eve), $"{capture}: EVE differs with {workers} workers");
            }
            Assert.True(one.Inner.AsSpan().SequenceEqual(many.Inner), $"{capture}: inner packets differ with {workers} workers");
            Assert.Equal(one.Summary, many.Summary);
        }
    }

    [Fact]
    public void Replay_SeveralFilesInOneRun_ByteIdenticalOutput()
    {
        string[] files =
        [
            RepositoryPaths.Capture("synthetic/esp/mix-110.pcap"),
            RepositoryPaths.Capture("public/tcpdump__tests__ikev2four.pcap"),
            RepositoryPaths.Capture("synthetic/esp/wesp.pcap"),
            RepositoryPaths.Capture("synthetic/esp/null-fragments.pcap"),
        ];
        Output one = Replay(files, null, 1);
        Output three = Replay(files, null, 3);
        Assert.True(one.Eve.AsSpan().SequenceEqual(three.Eve));
        Assert.True(one.Inner.AsSpan().SequenceEqual(three.Inner));
        Assert.Equal(one.Summary, three.Summary);
        Assert.Contains("\"pcap_filename\":\"" + files[3].Replace("\\", "\\\\", StringComparison.Ordinal) + "\"", one.EveText, StringComparison.Ordinal);
    }

    /// <summary>Tiny timeouts make flows and IKE SAs of every worker expire mid-run, many at the same packet: their
    /// records must still come out in one order whatever the number of workers.</summary>
    [Theory]
    [InlineData("synthetic/esp/mix-110.pcap")]
    [InlineData("public/tcpdump__tests__ikev2four.pcap")]
    [InlineData("public/zeek-spicy-ipsec__tests__traces__ipsec_client.pcap")]
    [InlineData("public/nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap")]
    public void Session_TimeoutsOnEveryWorker_SameOrderForAnyWorkerCount(string capture)
    {
        var options = new PipelineOptions
        {
            FlowTimeout = TimeSpan.FromMilliseconds(5),
            Ike = new IkeTrackerOptions { HalfOpenTimeout = TimeSpan.FromMilliseconds(5), TerminalLinger = TimeSpan.FromMilliseconds(1) },
        };
        string path = RepositoryPaths.Capture(capture);
        byte[] one = RunSession(path, options, 1, out long expired);
        Assert.True(expired > 0, "the capture must make flows time out mid-run");
        for (int workers = 2; workers <= 4; workers++)
        {
            byte[] many = RunSession(path, options, workers, out _);
            Assert.True(one.AsSpan().SequenceEqual(many), $"{capture}: EVE differs with {workers} workers");
        }
    }

    /// <summary>More flows open at the end of the run than one piece of the final records: the sole worker writes
    /// them piece by piece (<see cref="ShardWorker.FinalFlowsPerWrite"/>), several workers in pieces of as many flows
    /// over all workers (cut at a last-packet sequence number), and the EVE is the same, every flow once, by its last
    /// packet.</summary>
    [Fact]
    public void Session_ManyFlowsOpenAtTheEnd_FinalRecordsSameInPiecesAndWhole()
    {
        int flows = (2 * ShardWorker.FinalFlowsPerWrite) + 300;
        var frames = new List<byte[]>();
        for (int i = 0; i < flows; i++)
        {
            frames.Add(UdpFrame(i));
        }
        // Touch every third flow again, so the order of their last packets is not the order they started in.
        for (int i = 0; i < flows; i += 3)
        {
            frames.Add(UdpFrame(i));
        }

        byte[] one = RunSession(frames, 1, out _);
        string[] lines = Encoding.UTF8.GetString(one).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] flowRecords = [.. lines.Where(l => l.Contains("\"event_type\":\"flow\"", StringComparison.Ordinal))];
        Assert.Equal(flows, flowRecords.Length);
        Assert.Equal(flows, flowRecords.Distinct().Count());
        // Untouched flows first (in the order they started), then the touched ones.
        Assert.Contains("\"src_port\":1025,", flowRecords[0], StringComparison.Ordinal);
        Assert.Contains("\"src_port\":1024,", flowRecords[flows - ((flows + 2) / 3)], StringComparison.Ordinal);
        for (int workers = 2; workers <= 3; workers++)
        {
            Assert.True(one.AsSpan().SequenceEqual(RunSession(frames, workers, out int pieces)), $"EVE differs with {workers} workers");
            // 2,348 flows: two pieces of 1,024, the last 300 with the final batch.
            Assert.Equal(2, pieces);
        }
    }

    /// <summary>Ethernet + IPv4 + UDP, 192.0.2.1:(1024 + flow % 60000) -> 198.51.100.(flow / 60000 + 1):53.</summary>
    private static byte[] UdpFrame(int flow)
    {
        var udp = new UdpPacket((ushort)(1024 + (flow % 60000)), 53) { PayloadData = new byte[18] };
        var ip = new IPv4Packet(IPAddress.Parse("192.0.2.1"), new IPAddress([198, 51, 100, (byte)((flow / 60000) + 1)])) { PayloadPacket = udp };
        ip.UpdateIPChecksum();
        var ethernet = new EthernetPacket(PhysicalAddress.Parse("020000000001"), PhysicalAddress.Parse("020000000002"), EthernetType.IPv4)
        {
            PayloadPacket = ip,
        };
        return ethernet.Bytes;
    }

    private static byte[] RunSession(List<byte[]> frames, int workers, out int finalPieces)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-shard-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            using (var session = new SensorSession(new SessionSettings { EvePath = eve, Workers = workers, Ordered = true, SourceNames = ["many-flows"] }))
            {
                for (int i = 0; i < frames.Count; i++)
                {
                    session.Process(frames[i], frames[i].Length, 1_700_000_000_000_000_000 + (i * 1000L), LinkType.Ethernet, i + 1, 0);
                }
                session.Complete();
                finalPieces = session.FinalPieces;
            }
            return File.ReadAllBytes(eve);
        }
        finally
        {
            File.Delete(eve);
        }
    }

    [Fact]
    public void Replay_FlowIds_AreTheSequenceNumberOfTheFlowsFirstPacket()
    {
        Output output = Replay([RepositoryPaths.Capture("public/tcpdump__tests__ikev2four.pcap")], null, 2);
        foreach (Match m in FlowRecord().Matches(output.EveText))
        {
            // One file: the run-wide sequence number is the pcap_cnt of the flow's first packet.
            long id = long.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"\"flow_id\":{id},\"pcap_filename\":\"{RepositoryPaths.Capture("public/tcpdump__tests__ikev2four.pcap")}\",\"pcap_cnt\":{id},", output.EveText, StringComparison.Ordinal);
        }
        Assert.Matches(FlowRecord(), output.EveText);
    }

    private static byte[] RunSession(string path, PipelineOptions options, int workers, out long expired)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-shard-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            using (var session = new SensorSession(new SessionSettings
            {
                EvePath = eve,
                Pipeline = options,
                Rules = RuleLoader.Compile(Path.Combine(RepositoryPaths.Root, "rules"), [], _ => { }),
                Workers = workers,
                Ordered = true,
                SourceNames = [path],
            }))
            {
                using (var stream = File.OpenRead(path))
                using (CaptureFileReader reader = CaptureFileReader.Open(stream))
                {
                    while (reader.TryReadNext(out CaptureRecord record))
                    {
                        session.Process(record.Data, record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber, 0);
                    }
                }
                session.Complete();
                expired = session.Counters.FlowsTimedOut;
            }
            return File.ReadAllBytes(eve);
        }
        finally
        {
            File.Delete(eve);
        }
    }

    private static Output Replay(string[] files, string? keys, int workers)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-shard-" + Guid.NewGuid().ToString("N") + ".jsonl");
        string inner = Path.ChangeExtension(eve, ".inner.pcap");
        try
        {
            var stdout = new StringWriter();
            var options = new ReplayOptions
            {
                Files = files,
                EvePath = eve,
                WriteInnerPath = inner,
                RulesPath = Path.Combine(RepositoryPaths.Root, "rules"),
                KeysPath = keys,
                Summary = SummaryFormat.Json,
                Workers = workers,
            };
            int code = new ReplayRunner(options, stdout, TextWriter.Null).Run();
            // Wall-clock figures are the only part of the summary allowed to differ.
            string summary = WallClock().Replace(stdout.ToString(), string.Empty);
            return new Output(code, File.ReadAllBytes(eve), File.ReadAllBytes(inner), summary);
        }
        finally
        {
            File.Delete(eve);
            File.Delete(inner);
        }
    }

    private static string WithoutRedirectedFromSa(string eve) => RedirectedFromSa().Replace(eve, "\"redirected_from_sa\":null");

    [GeneratedRegex("\"(elapsed_seconds|packets_per_second)\": [0-9.E+-]+,?")]
    private static partial Regex WallClock();

    [GeneratedRegex("\"redirected_from_sa\":\"[0-9a-f]+\"")]
    private static partial Regex RedirectedFromSa();

    [GeneratedRegex("\"flow_id\":(?<id>[0-9]+),[^\n]*\"event_type\":\"flow\"")]
    private static partial Regex FlowRecord();

    private sealed record Output(int ExitCode, byte[] Eve, byte[] Inner, string Summary)
    {
        public string EveText => System.Text.Encoding.UTF8.GetString(Eve);
    }
}
