using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests;

/// <summary>Runs <c>visibility replay</c> in-process, capturing its output streams and EVE records.</summary>
internal static class ReplayHarness
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, string[] EveLines);

    public static Result Run(IReadOnlyList<string> files, SummaryFormat summary = SummaryFormat.Json, bool quiet = false)
    {
        string eve = Path.Combine(Path.GetTempPath(), "visibility-test-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var options = new ReplayOptions { Files = files, EvePath = eve, Summary = summary, Quiet = quiet };
            int code = new ReplayRunner(options, stdout, stderr).Run();
            string[] lines = File.Exists(eve) ? File.ReadAllLines(eve) : [];
            return new Result(code, stdout.ToString(), stderr.ToString(), lines);
        }
        finally
        {
            File.Delete(eve);
        }
    }
}
