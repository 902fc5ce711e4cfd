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
        var eve = new Option<string?>("--eve")
        {
            Description = "write EVE JSON lines to PATH ('-' for standard output)",
            HelpName = "PATH",
        };
        var writeInner = new Option<string?>("--write-inner")
        {
            Description = "write every cleartext packet taken out of ESP-NULL/WESP to PATH, a raw-IP pcap (link type 101)",
            HelpName = "PATH",
        };
        var rules = new Option<string?>("--rules")
        {
            Description = "inspection rules: a .rules file or a folder of them (default: ./rules when it exists)",
            HelpName = "PATH",
        };
        var plugins = PluginsOption.Create();
        var set = new Option<string[]>("--set")
        {
            Description = "set a rule variable, e.g. --set HOME_NET=10.0.0.0/8 (repeatable)",
            HelpName = "NAME=VALUE",
        };
        var keys = new Option<string?>("--keys")
        {
            Description = "decrypt IKEv2 and fix ESP verdicts with keys: a folder holding ikev2_decryption_table and/or esp_sa (Wireshark's formats, as strongSwan's save-keys writes them), or one such file",
            HelpName = "DIR_OR_FILE",
        };
        var summary = new Option<string>("--summary")
        {
            Description = "format of the end-of-run summary",
            DefaultValueFactory = _ => "text",
            HelpName = "json|text",
        };
        summary.AcceptOnlyFromAmong("text", "json");
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "no progress bar and no summary",
        };

        var metrics = new Option<string?>("--metrics-listen")
        {
            Description = "serve Prometheus metrics on http://ADDR:PORT/metrics during the replay (e.g. 127.0.0.1:9580)",
            HelpName = "ADDR:PORT",
        };
        metrics.Validators.Add(MetricsOptions.ValidateListen);
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
            eve,
            writeInner,
            rules,
            set,
            plugins,
            keys,
            summary,
            quiet,
            metrics,
            hold,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(hold) && result.GetValue(metrics) is null)
            {
                result.AddError("--hold needs --metrics-listen");
            }
        });
        command.SetAction(result =>
        {
            var options = new ReplayOptions
            {
                Files = result.GetValue(files) ?? [],
                EvePath = result.GetValue(eve),
                WriteInnerPath = result.GetValue(writeInner),
                RulesPath = result.GetValue(rules),
                RuleVariables = result.GetValue(set) ?? [],
                PluginsPath = result.GetValue(plugins),
                KeysPath = result.GetValue(keys),
                Summary = result.GetValue(summary) == "json" ? SummaryFormat.Json : SummaryFormat.Text,
                Quiet = result.GetValue(quiet),
                MetricsListen = MetricsOptions.Parse(result.GetValue(metrics)),
                Hold = result.GetValue(hold),
            };
            return new ReplayRunner(options, Console.Out, Console.Error).Run();
        });
        return command;
    }
}
