using System.CommandLine;
using Visibility.Cli.Capture;

namespace Visibility.Cli.Commands;

/// <summary><c>visibility inline --in IF_A --out IF_B</c>: a transparent two-port bridge that holds back the frames
/// a <c>drop</c> rule matches, until SIGINT/SIGTERM.</summary>
internal static class InlineCommand
{
    public static Command Create()
    {
        var inPort = new Option<string>("--in")
        {
            Description = "first port of the bridge (frames from it go out of --out)",
            HelpName = "IF_A",
            Required = true,
        };
        var outPort = new Option<string>("--out")
        {
            Description = "second port of the bridge (frames from it go out of --in)",
            HelpName = "IF_B",
            Required = true,
        };
        var failClosed = new Option<bool>("--fail-closed")
        {
            Description = "drop a frame the engine gave no verdict for (timeout, queue full, engine error) instead of forwarding it",
        };
        var timeout = new Option<double>("--verdict-timeout")
        {
            Description = "milliseconds a frame waits for its verdict before the failure mode decides",
            DefaultValueFactory = _ => 10,
            HelpName = "MS",
        };
        var bufferSize = new Option<int?>("--buffer-size")
        {
            Description = "kernel capture ring per port, in bytes (default 64 MiB, about 1000 frames of burst)",
            HelpName = "BYTES",
        };
        var engineDelay = new Option<double>("--test-engine-delay")
        {
            Description = "testing: the engine sleeps MS before each frame (to exercise the failure mode)",
            HelpName = "MS",
            Hidden = true,
        };
        var output = new OutputOptionSet(
            "no start line and no summary",
            "serve Prometheus metrics on http://ADDR:PORT/metrics (e.g. 127.0.0.1:9580; a bare PORT means loopback)",
            1,
            "spread the frames over N engine threads by address pair (default 1; see README \"Inline bridge\")");
        // Inline's own words on what a drop does here.
        output.Eve.Description = "write EVE JSON lines to PATH ('-' for standard output); drop-rule alerts say action \"blocked\"";
        output.Rules.Description = "inspection rules: a .rules file or a folder of them (default: ./rules when it exists); 'drop' rules block";
        output.Plugins.Description = "load inspection plugins (C# IPacketInspector assemblies) from DIR; their drop signatures block";

        var command = new Command("inline", """
            Bridge two Ethernet interfaces transparently: every frame arriving on one is inspected and sent out of
            the other, unless a 'drop' rule matches it (its alert then says action "blocked"). Both directions, in
            arrival order: nothing is reordered. A frame the engine gives no verdict for within --verdict-timeout
            (engine behind or stalled, queue full, engine error) is forwarded uninspected (fail-open, the default) or
            dropped (--fail-closed), and counted. Runs until SIGINT or SIGTERM, then ends the open flows, writes the
            stats record and the summary (per direction: passed, dropped, failure-mode decisions; verdict latency
            percentiles), and exits 0. Needs CAP_NET_RAW and CAP_NET_ADMIN (root); give the interfaces no addresses.
            Exit codes: 0 success; 1 bad usage (same interface twice, bad metrics address, an output that cannot be
            created); 2 an interface that does not exist, cannot be opened (permission denied) or is not Ethernet.
            """)
        {
            inPort,
            outPort,
            failClosed,
            timeout,
            bufferSize,
            engineDelay,
        };
        output.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(inPort) is string a && result.GetValue(outPort) is string b && a == b)
            {
                result.AddError($"--in and --out are the same interface ({a}); a bridge needs two");
            }
        });
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (>= 0.1 and <= 10_000))
            {
                result.AddError("--verdict-timeout must be between 0.1 and 10000 milliseconds");
            }
        });
        bufferSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError("--buffer-size must be positive");
            }
        });
        engineDelay.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 60_000)
            {
                result.AddError("--test-engine-delay must be between 0 and 60000 milliseconds");
            }
        });
        command.SetAction(result =>
        {
            var options = output.Apply(result, new InlineOptions
            {
                In = result.GetValue(inPort)!,
                Out = result.GetValue(outPort)!,
                FailClosed = result.GetValue(failClosed),
                VerdictTimeout = TimeSpan.FromMilliseconds(result.GetValue(timeout)),
                BufferSize = result.GetValue(bufferSize),
                EngineDelay = TimeSpan.FromMilliseconds(result.GetValue(engineDelay)),
            });
            using var signals = new StopSignals();
            return new InlineRunner(options, Console.Out, Console.Error).Run(signals.Token);
        });
        return command;
    }
}
