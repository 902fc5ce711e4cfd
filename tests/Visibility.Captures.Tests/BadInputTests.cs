using System.Buffers.Binary;
using System.Text.Json;
using Visibility.Cli;

namespace Visibility.Captures.Tests;

/// <summary>Bad input gets one clear line and the documented exit code, never a stack trace; what came before the
/// damage is still processed and written.</summary>
public sealed class BadInputTests : IDisposable
{
    private const string DefaultCapture = "public/nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap";
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-bad-input").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertOneLineError(ReplayHarness.Result result)
    {
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("visibility: error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_ExitsTwo()
    {
        ReplayHarness.Result result = ReplayHarness.Run([Path.Combine(_dir, "absent.pcap")]);
        AssertOneLineError(result);
        Assert.Contains("no such file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_ExitsTwo()
    {
        ReplayHarness.Result result = ReplayHarness.Run([_dir]);
        AssertOneLineError(result);
        Assert.Contains("directory", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TextFile_ExitsTwo()
    {
        ReplayHarness.Result result = ReplayHarness.Run([Write("notes.txt", "this is not a capture file\nat all\n"u8.ToArray())]);
        AssertOneLineError(result);
    }

    [Fact]
    public void EmptyFile_ExitsTwo()
    {
        AssertOneLineError(ReplayHarness.Run([Write("empty.pcap", [])]));
    }

    [Fact]
    public void BadMagic_ExitsTwo()
    {
        byte[] header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xDEADBEEF);
        AssertOneLineError(ReplayHarness.Run([Write("magic.pcap", header)]));
    }

    [Fact]
    public void RecordClaimingFourGigabytes_ExitsTwo()
    {
        byte[] file = new byte[24 + 16 + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(file, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24 + 8), 0xFFFFFFF0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24 + 12), 0xFFFFFFF0);
        AssertOneLineError(ReplayHarness.Run([Write("huge.pcap", file)]));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(3)]
    public void CutInsideRecord_ExitsTwo_EverythingBeforeIsWritten(int cutIntoRecord)
    {
        byte[] whole = File.ReadAllBytes(RepositoryPaths.Capture(DefaultCapture));
        // Walk the classic pcap records to find where record 100 starts.
        int offset = 24;
        for (int i = 0; i < 99; i++)
        {
            offset += 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(whole.AsSpan(offset + 8));
        }
        string cut = Write("cut.pcap", whole[..(offset + cutIntoRecord)]);

        ReplayHarness.Result result = ReplayHarness.Run([cut]);

        AssertOneLineError(result);
        JsonElement stats = result.EveLines.Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("event_type").GetString() == "stats");
        Assert.Equal(99, stats.GetProperty("stats").GetProperty("decoder").GetProperty("pkts").GetInt64());
        long flowPackets = result.EveLines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("event_type").GetString() == "flow")
            .Sum(e => e.GetProperty("flow").GetProperty("pkts_toserver").GetInt64() + e.GetProperty("flow").GetProperty("pkts_toclient").GetInt64());
        Assert.True(flowPackets > 0, "flows of the packets before the damage are written");
    }

    [Fact]
    public void DamagedFileAmongGood_OthersStillProcessed()
    {
        string good = RepositoryPaths.Capture(DefaultCapture);
        string bad = Write("bad.pcap", "garbage!"u8.ToArray());
        ReplayHarness.Result result = ReplayHarness.Run([good, bad, good]);
        AssertOneLineError(result);
        JsonElement stats = result.EveLines.Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("event_type").GetString() == "stats");
        Assert.Equal(2 * 834, stats.GetProperty("stats").GetProperty("decoder").GetProperty("pkts").GetInt64());
    }
}
