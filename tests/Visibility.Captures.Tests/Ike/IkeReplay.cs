using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests.Ike;

/// <summary>Replays a capture in-process, optionally with <c>--keys</c>, and hands back its EVE records, parsed.</summary>
internal static class IkeReplay
{
    public sealed record Result(int ExitCode, string Stderr, List<JsonElement> Records, string Stdout)
    {
        public IEnumerable<JsonElement> OfType(string eventType) => Records.Where(r => r.GetProperty("event_type").GetString() == eventType);

        public List<JsonElement> IkeSas => OfType("ike_sa").Select(r => r.GetProperty("ike_sa")).ToList();

        public Dictionary<long, JsonElement> IkeByFrame => OfType("ike").ToDictionary(r => r.GetProperty("pcap_cnt").GetInt64());
    }

    public static Result Run(string capture, string? keys = null, SummaryFormat summary = SummaryFormat.Json, bool quiet = true)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-ike-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var options = new ReplayOptions
            {
                Files = [RepositoryPaths.Capture(capture)],
                EvePath = eve,
                KeysPath = keys is null ? null : Path.IsPathRooted(keys) ? keys : RepositoryPaths.Capture(keys),
                Summary = summary,
                Quiet = quiet,
            };
            int code = new ReplayRunner(options, stdout, stderr).Run();
            List<JsonElement> records = File.Exists(eve) ? File.ReadLines(eve).Select(l => JsonDocument.Parse(l).RootElement).ToList() : [];
            return new Result(code, stderr.ToString(), records, stdout.ToString());
        }
        finally
        {
            File.Delete(eve);
        }
    }
}
