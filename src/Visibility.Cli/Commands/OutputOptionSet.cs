using System.CommandLine;
using Visibility.Cli.Capture;
using Visibility.Cli.Metrics;
using Visibility.Cli.Replay;

namespace Visibility.Cli.Commands;

/// <summary>The output and inspection options <c>replay</c>, <c>live</c> and <c>inline</c> share (the contract's
/// "same output options"): <c>--eve</c>, <c>--write-inner</c>, <c>--rules</c>, <c>--set</c>, <c>--keys</c>,
/// <c>--plugins</c>, <c>--summary</c>, <c>--quiet</c>, <c>--metrics-listen</c> and <c>--workers</c>, defined once.</summary>
internal sealed class OutputOptionSet
{
    /// <summary>Most workers accepted.</summary>
    public const int MaxWorkers = 64;

    public OutputOptionSet(string quietDescription, string metricsDescription, int defaultWorkers, string workersDescription)
    {
        Quiet = new Option<bool>("--quiet", "-q") { Description = quietDescription };
        Metrics = new Option<string?>("--metrics-listen") { Description = metricsDescription, HelpName = "ADDR:PORT" };
        Metrics.Validators.Add(MetricsOptions.ValidateListen);
        Workers = new Option<int>("--workers")
        {
            Description = workersDescription,
            DefaultValueFactory = _ => defaultWorkers,
            HelpName = "N",
        };
        Workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxWorkers)
            {
                result.AddError($"--workers must be between 1 and {MaxWorkers}");
            }
        });
        Summary.AcceptOnlyFromAmong("text", "json");
    }

    public Option<string?> Eve { get; } = new("--eve")
    {
        Description = "write EVE JSON lines to PATH ('-' for standard output)",
        HelpName = "PATH",
    };

    public Option<string?> WriteInner { get; } = new("--write-inner")
    {
        Description = "write every cleartext packet taken out of ESP-NULL/WESP to PATH, a raw-IP pcap (link type 101)",
        HelpName = "PATH",
    };

    public Option<string?> Rules { get; } = new("--rules")
    {
        Description = "inspection rules: a .rules file or a folder of them (default: ./rules when it exists)",
        HelpName = "PATH",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "set a rule variable, e.g. --set HOME_NET=10.0.0.0/8 (repeatable)",
        HelpName = "NAME=VALUE",
    };

    public Option<string?> Plugins { get; } = new("--plugins")
    {
        Description = "load inspection plugins (C# IPacketInspector assemblies) from DIR: every *.dll, and NAME/NAME.dll of each subfolder; their signatures join the rules",
        HelpName = "DIR",
    };

    public Option<string?> Keys { get; } = new("--keys")
    {
        Description = "decrypt IKEv2 and fix ESP verdicts with keys: a folder holding ikev2_decryption_table and/or esp_sa (Wireshark's formats, as strongSwan's save-keys writes them), or one such file",
        HelpName = "DIR_OR_FILE",
    };

    public Option<string> Summary { get; } = new("--summary")
    {
        Description = "format of the end-of-run summary",
        DefaultValueFactory = _ => "text",
        HelpName = "json|text",
    };

    public Option<bool> Quiet { get; }

    public Option<string?> Metrics { get; }

    public Option<int> Workers { get; }

    /// <summary>Workers for live capture when not given: one core is left to the reader, at most four workers (the
    /// merge and the reader bound the gain beyond), and one worker, processing on the reader's thread, on a machine
    /// of two cores or fewer.</summary>
    public static int DefaultLiveWorkers => Math.Clamp(Environment.ProcessorCount - 1, 1, 4);

    /// <summary>Adds every option to <paramref name="command"/> (<c>--workers</c> only when the set has it).</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Eve);
        command.Options.Add(WriteInner);
        command.Options.Add(Rules);
        command.Options.Add(Set);
        command.Options.Add(Plugins);
        command.Options.Add(Keys);
        command.Options.Add(Summary);
        command.Options.Add(Quiet);
        command.Options.Add(Metrics);
        command.Options.Add(Workers);
    }

    /// <summary><paramref name="options"/> with every setting of this set taken from <paramref name="result"/>.</summary>
    public T Apply<T>(ParseResult result, T options)
        where T : SensorCommandOptions =>
        (T)(options with
        {
            EvePath = result.GetValue(Eve),
            WriteInnerPath = result.GetValue(WriteInner),
            RulesPath = result.GetValue(Rules),
            RuleVariables = result.GetValue(Set) ?? [],
            PluginsPath = result.GetValue(Plugins),
            KeysPath = result.GetValue(Keys),
            MetricsListen = MetricsListen(result),
            Summary = SummaryFormat(result),
            Quiet = result.GetValue(Quiet),
            Workers = result.GetValue(Workers),
        });

    public SummaryFormat SummaryFormat(ParseResult result) => result.GetValue(Summary) == "json" ? Replay.SummaryFormat.Json : Replay.SummaryFormat.Text;

    public ListenAddress? MetricsListen(ParseResult result) => MetricsOptions.Parse(result.GetValue(Metrics));
}
