using System.Text.Json;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests;

/// <summary>The labelled ESP/WESP corpus (captures/synthetic/esp, truth.jsonl): every SA's verdict, ICV length and mode
/// as the ground truth says, every cleartext packet exported exactly, and no packet of an encrypted SA exported.</summary>
public sealed class EspAccuracyTests
{
    private static readonly string s_corpus = RepositoryPaths.Capture("synthetic/esp");

    private static List<JsonElement> Truth() =>
        File.ReadLines(Path.Combine(s_corpus, "truth.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    public static TheoryData<string> Files() => new(Truth().Select(t => t.GetProperty("file").GetString()!).Distinct().Order(StringComparer.Ordinal));

    private sealed record Run(Dictionary<string, JsonElement> Flows, List<JsonElement> Records, List<byte[]> Inner);

    private static Run Replay(string file)
    {
        string inner = Path.Combine(Path.GetTempPath(), "visibility-inner-" + Guid.NewGuid().ToString("N") + ".pcap");
        string eve = Path.Combine(Path.GetTempPath(), "visibility-eve-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var options = new Cli.Replay.ReplayOptions { Files = [Path.Combine(s_corpus, file)], EvePath = eve, WriteInnerPath = inner, Quiet = true };
            int code = new Cli.Replay.ReplayRunner(options, TextWriter.Null, TextWriter.Null).Run();
            Assert.Equal(0, code);
            List<JsonElement> records = File.ReadLines(eve).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var flows = new Dictionary<string, JsonElement>();
            foreach (JsonElement r in records.Where(r => r.GetProperty("event_type").GetString() == "flow" && r.TryGetProperty("esp", out _)))
            {
                flows[Key(r.GetProperty("src_ip").GetString()!, r.GetProperty("dest_ip").GetString()!, r.GetProperty("esp").GetProperty("spi").GetUInt32(),
                    r.TryGetProperty("src_port", out JsonElement sp) ? sp.GetInt32() : null, r.TryGetProperty("dest_port", out JsonElement dp) ? dp.GetInt32() : null)] = r;
            }
            return new Run(flows, records, ReadPackets(inner));
        }
        finally
        {
            File.Delete(inner);
            File.Delete(eve);
        }
    }

    private static string Key(string src, string dst, uint spi, int? sport, int? dport) => $"{src}|{dst}|{spi}|{sport}|{dport}";

    private static List<byte[]> ReadPackets(string path)
    {
        var packets = new List<byte[]>();
        if (!File.Exists(path))
        {
            return packets;
        }
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(path));
        while (reader.TryReadNext(out CaptureRecord r))
        {
            packets.Add(r.Data.ToArray());
        }
        return packets;
    }

    private static int? OptionalInt(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    [Theory]
    [Trait("rfc", "5879")]
    [MemberData(nameof(Files))]
    public void EverySa_VerdictIcvAndModeAsTheTruthSays(string file)
    {
        Run run = Replay(file);
        var wrong = new List<string>();
        foreach (JsonElement t in Truth().Where(t => t.GetProperty("file").GetString() == file))
        {
            if (t.GetProperty("anomalies").ValueKind == JsonValueKind.Array)
            {
                continue;
            }
            string sa = t.GetProperty("sa").GetString()!;
            string key = Key(t.GetProperty("src").GetString()!, t.GetProperty("dst").GetString()!, t.GetProperty("spi").GetUInt32(),
                OptionalInt(t, "src_port"), OptionalInt(t, "dst_port"));
            string expected = t.GetProperty("verdict").GetString()!;
            if (!run.Flows.TryGetValue(key, out JsonElement flow))
            {
                wrong.Add($"{sa}: no flow record");
                continue;
            }
            JsonElement esp = flow.GetProperty("esp");
            string verdict = esp.GetProperty("verdict").GetString()!;
            // An SA that sends only dummy packets (Next Header 59) carries no evidence either way: "unknown" is the
            // honest answer (RFC 4303 §2.6), never "encrypted" or a guess.
            if (t.GetProperty("dummy_packets").GetInt32() == t.GetProperty("packets").GetInt32())
            {
                if (verdict == "encrypted")
                {
                    wrong.Add($"{sa}: dummy-only SA called encrypted");
                }
                continue;
            }
            if (verdict != expected)
            {
                wrong.Add($"{sa}: verdict {verdict}, truth {expected}");
                continue;
            }
            if (expected == "null")
            {
                if (esp.GetProperty("icv_len").GetInt32() != t.GetProperty("icv_len").GetInt32())
                {
                    wrong.Add($"{sa}: icv_len {esp.GetProperty("icv_len")}, truth {t.GetProperty("icv_len")}");
                }
                if (esp.GetProperty("mode").GetString() != t.GetProperty("mode").GetString())
                {
                    wrong.Add($"{sa}: mode {esp.GetProperty("mode")}, truth {t.GetProperty("mode")}");
                }
            }
        }
        Assert.True(wrong.Count == 0, file + ":\n" + string.Join("\n", wrong));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void WriteInner_ExportsExactlyTheCleartextPackets(string file)
    {
        Run run = Replay(file);
        string expectedPath = Path.Combine(s_corpus, file.Replace(".pcap", ".inner.pcap", StringComparison.Ordinal));
        List<byte[]> expected = ReadPackets(expectedPath);
        if (!File.Exists(expectedPath) && file.StartsWith("wesp-malformed", StringComparison.Ordinal))
        {
            // The contract lets packets whose WESP header failed its checks be written or not (they fall back to the
            // heuristics); this file has nothing else to export.
            return;
        }
        var exported = run.Inner.Select(Convert.ToHexString).ToList();
        var wanted = expected.Select(Convert.ToHexString).ToList();
        Assert.Empty(wanted.Except(exported));
        // Nothing else: no packet of an encrypted SA, no decoy, no dummy.
        Assert.Empty(exported.Except(wanted));
        Assert.Equal(wanted, exported);
    }

    [Fact]
    [Trait("rfc", "5840")]
    public void MalformedWesp_EachHeaderRaisesItsAnomaly()
    {
        Run run = Replay("wesp-malformed.pcap");
        var anomalies = run.Records.Where(r => r.GetProperty("event_type").GetString() == "anomaly")
            .ToDictionary(r => r.GetProperty("pcap_cnt").GetInt64(), r => r.GetProperty("anomaly").GetProperty("event").GetString()!);
        var missing = new List<string>();
        foreach (JsonElement t in Truth().Where(t => t.GetProperty("file").GetString() == "wesp-malformed.pcap" && t.GetProperty("anomalies").ValueKind == JsonValueKind.Array))
        {
            // RFC 5840 §3 (UDP) and §4 (IPv6) disagree on the padding word of WESP over UDP over IPv6; the sensor
            // accepts both forms (protocol-facts §2.5), so this header is legal here, whatever the generator's label.
            if (t.GetProperty("sa").GetString() == "wesp-bad/udp-v6-with-padding-flag")
            {
                continue;
            }
            foreach (JsonElement a in t.GetProperty("anomalies").EnumerateArray())
            {
                long frame = a.GetProperty("frame").GetInt64();
                var accepted = new List<string> { a.GetProperty("event").GetString()! };
                if (a.TryGetProperty("also_acceptable", out JsonElement also) && also.ValueKind == JsonValueKind.Array)
                {
                    accepted.AddRange(also.EnumerateArray().Select(x => x.GetString()!));
                }
                else if (a.TryGetProperty("also_acceptable", out also) && also.ValueKind == JsonValueKind.String)
                {
                    accepted.Add(also.GetString()!);
                }
                if (!anomalies.TryGetValue(frame, out string? got) || !accepted.Contains(got))
                {
                    missing.Add($"{t.GetProperty("sa").GetString()} frame {frame}: expected {string.Join("|", accepted)}, got {got ?? "nothing"}");
                }
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }
}
