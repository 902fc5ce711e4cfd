using System.CommandLine;
using Visibility.Cli.Capture;
using Visibility.Cli.Replay;

namespace Visibility.Cli.Commands;

/// <summary><c>visibility live -i IFACE...</c>: captures from network interfaces until SIGINT/SIGTERM.</summary>
internal static class LiveCommand
{
    public static Command Create()
    {
        var interfaces = new Option<string[]>("--interface", "-i")
        {
            Description = "network interface to capture from (repeat for several)",
            HelpName = "IFACE",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var bpf = new Option<string?>("--bpf")
        {
            Description = "kernel capture filter, pcap-filter(7) syntax (e.g. \"udp port 500 or udp port 4500 or esp\")",
            HelpName = "FILTER",
        };
        var snaplen = new Option<int>("--snaplen")
        {
            Description = "bytes captured per frame at most",
            DefaultValueFactory = _ => 65535,
            HelpName = "N",
        };
        var bufferSize = new Option<int?>("--buffer-size")
        {
            Description = "kernel capture buffer per interface, in bytes (default: libpcap's)",
            HelpName = "BYTES",
        };
        var noPromisc = new Option<bool>("--no-promisc")
        {
            Description = "do not put the interfaces in promiscuous mode",
        };
        var output = new OutputOptionSet(
            "no start line and no summary",
            "serve Prometheus metrics on http://ADDR:PORT/metrics (e.g. 127.0.0.1:9580; a bare PORT means loopback)",
            OutputOptionSet.DefaultLiveWorkers,
            "spread the frames over N workers by address pair (default: cores - 1, at most 4; 1 processes on the capture thread)");

        var command = new Command("live", """
            Capture from network interfaces: decode, track flows, write EVE records, serve metrics. Runs until
            SIGINT or SIGTERM, then drains what was captured, ends the open flows, writes the stats record and
            the summary, and exits 0. Needs CAP_NET_RAW (root).
            Exit codes: 0 success; 1 bad usage (bad filter, bad or busy metrics address, an output that cannot
            be created); 2 an interface that does not exist or cannot be opened (permission denied).
            """)
        {
            interfaces,
            bpf,
            snaplen,
            bufferSize,
            noPromisc,
        };
        output.AddTo(command);
        snaplen.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 64 or > 262144)
            {
                result.AddError("--snaplen must be between 64 and 262144");
            }
        });
        bufferSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError("--buffer-size must be positive");
            }
        });
        command.SetAction(result =>
        {
            var options = output.Apply(result, new LiveOptions
            {
                Capture = new LiveCaptureOptions
                {
                    Interfaces = result.GetValue(interfaces) ?? [],
                    Bpf = result.GetValue(bpf),
                    Snaplen = result.GetValue(snaplen),
                    BufferSize = result.GetValue(bufferSize),
                    Promiscuous = !result.GetValue(noPromisc),
                },
            });
            using var signals = new StopSignals();
            return new LiveRunner(options, Console.Out, Console.Error).Run(signals.Token);
        });
        return command;
    }
}
