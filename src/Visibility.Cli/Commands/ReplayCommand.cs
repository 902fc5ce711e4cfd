using System.CommandLine;
using Visibility.Cli.Replay;

namespace Visibility.Cli.Commands;

/// <summary><c>visibility replay FILE...</c>: runs capture files through the pipeline.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "pcap or pcapng capture files, processed in the order given",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new OutputOptionSet(
            "no progress bar and no summary",
            "serve Prometheus metrics on http://ADDR:PORT/metrics during the replay (e.g. 127.0.0.1:9580)",
            1,
            "spread the packets over N workers by address pair (output is the same for any N)");
        var hold = new Option<bool>("--hold")
        {
            Description = "with --metrics-listen: after the replay, keep serving metrics until SIGINT or SIGTERM",
        };

        var command = new Command("replay", """
            Replay capture files through the sensor: decode, track flows, write EVE records and a summary.
            Exit codes: 0 success; 1 bad usage (or an output that cannot be created); 2 an input file is
            missing, unreadable, not a capture, or damaged (everything before the damage is still processed
            and written), or a --keys file is invalid (one line naming file:line). A metrics address that is
            malformed or cannot be bound is bad usage (1).
            """)
        {
            files,
        };
        output.AddTo(command);
        command.Options.Add(hold);
        command.Validators.Add(result =>
        {
            if (result.GetValue(hold) && result.GetValue(output.Metrics) is null)
            {
                result.AddError("--hold needs --metrics-listen");
            }
        });
        command.SetAction(result =>
        {
            var options = output.Apply(result, new ReplayOptions
            {
                Files = result.GetValue(files) ?? [],
                Hold = result.GetValue(hold),
            });
            return new ReplayRunner(options, Console.Out, Console.Error).Run();
        });
        return command;
    }
}
