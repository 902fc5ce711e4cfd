using System.CommandLine;
using Visibility.Cli.Service;

namespace Visibility.Cli.Commands;

/// <summary><c>visibility run --config FILE</c>: the long-running service host (systemd unit).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "configuration file: YAML if it ends in .yaml or .yml, JSON otherwise (see src/Visibility.Cli/Service/visibility.sample.json, .yaml)",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("run", """
            Run as a service: capture from the configured interfaces (or replay the configured files), write
            EVE, serve metrics. Configuration: the JSON or YAML file, then VISIBILITY_ environment variables
            (VISIBILITY_Flows__Capacity=100000), then --Section:Key=value arguments. SIGTERM/SIGINT stop
            cleanly (drain, end open flows, write the stats record, flush EVE); SIGHUP requests a reload.
            Exit codes: 0 success; 1 bad configuration (the message names the key); 2 an input that cannot be
            opened or read.
            """)
        {
            config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result => ServiceHost.Run(result.GetValue(config)!, result.UnmatchedTokens, Console.Error));
        return command;
    }
}
