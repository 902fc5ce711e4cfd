using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests;

/// <summary>Keeps the EVE writer and eve.schema.json in step: every record written for every capture in captures/
/// must be declared by the schema.</summary>
public sealed class EveSchemaTests
{
    public static TheoryData<string> Captures() => new(RepositoryPaths.AllCaptures());

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveRecords_FollowTheSchema(string capture)
    {
        ReplayHarness.Result result = ReplayHarness.Run([RepositoryPaths.Capture(capture)], SummaryFormat.Json, quiet: true);
        Assert.NotEmpty(result.EveLines);
        foreach (string line in result.EveLines)
        {
            using JsonDocument record = JsonDocument.Parse(line);
            List<string> problems = EveSchema.Check(record.RootElement);
            Assert.True(problems.Count == 0, $"{capture}: {line}\n" + string.Join("\n", problems));
        }
        Assert.Equal("stats", JsonDocument.Parse(result.EveLines[^1]).RootElement.GetProperty("event_type").GetString());
    }

    [Fact]
    public void Schema_DeclaresEveryEventTypeTheContractNames()
    {
        string[] declared = EveSchema.Schema.GetProperty("properties").GetProperty("event_type").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToArray();
        foreach (string type in new[] { "flow", "anomaly", "stats", "esp", "ike", "ike_sa", "alert" })
        {
            Assert.Contains(type, declared);
        }
    }

    [Fact]
    public void Replay_SameInputTwice_ByteIdenticalEve()
    {
        string capture = RepositoryPaths.Capture("public/nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap");
        ReplayHarness.Result first = ReplayHarness.Run([capture], quiet: true);
        ReplayHarness.Result second = ReplayHarness.Run([capture], quiet: true);
        Assert.Equal(first.EveLines[..^1], second.EveLines[..^1]);
    }
}
