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

        var command = new Command("replay", """
            Replay capture files through the sensor: decode, track flows, write EVE records and a summary.
            Exit codes: 0 success; 1 bad usage (or an output that cannot be created); 2 an input file is
            missing, unreadable, not a capture, or damaged (everything before the damage is still processed
            and written), or a --keys file is invalid (one line naming file:line).
            """)
        {
            files,
            eve,
            writeInner,
            keys,
            summary,
            quiet,
        };
        command.SetAction(result =>
        {
            var options = new ReplayOptions
            {
                Files = result.GetValue(files) ?? [],
                EvePath = result.GetValue(eve),
                WriteInnerPath = result.GetValue(writeInner),
                KeysPath = result.GetValue(keys),
                Summary = result.GetValue(summary) == "json" ? SummaryFormat.Json : SummaryFormat.Text,
                Quiet = result.GetValue(quiet),
            };
            return new ReplayRunner(options, Console.Out, Console.Error).Run();
        });
        return command;
    }
}
