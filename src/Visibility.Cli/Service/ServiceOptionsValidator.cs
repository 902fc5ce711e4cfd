using Microsoft.Extensions.Options;
using Visibility.Cli.Metrics;

namespace Visibility.Cli.Service;

/// <summary>Checks <see cref="ServiceOptions"/> at start; every failure names its configuration key.</summary>
internal sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    private const int MaxFlowCapacity = 1 << 26;
    private const int MaxWorkers = 64;

    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        InputSection input = options.Visibility;
        bool live = input.Interfaces.Count > 0;
        bool files = input.Files.Count > 0;
        if (live == files)
        {
            failures.Add("Visibility:Interfaces / Visibility:Files: give exactly one of them (interfaces to capture, or capture files to replay)");
        }
        for (int i = 0; i < input.Interfaces.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(input.Interfaces[i]))
            {
                failures.Add($"Visibility:Interfaces:{i}: empty interface name");
            }
        }
        for (int i = 0; i < input.Files.Count; i++)
        {
            if (!File.Exists(input.Files[i]))
            {
                failures.Add($"Visibility:Files:{i}: no such file '{input.Files[i]}'");
            }
        }
        if (input.Snaplen is < 64 or > 262144)
        {
            failures.Add($"Visibility:Snaplen: must be between 64 and 262144 (got {input.Snaplen})");
        }
        if (input.Workers is < 1 or > MaxWorkers)
        {
            failures.Add($"Visibility:Workers: must be between 1 and {MaxWorkers} (got {input.Workers})");
        }
        if (input.BufferSize is <= 0)
        {
            failures.Add($"Visibility:BufferSize: must be positive (got {input.BufferSize})");
        }

        EveSection eve = options.Eve;
        if (eve.Path is not null)
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(eve.Path));
            if (string.IsNullOrWhiteSpace(eve.Path) || eve.Path == "-")
            {
                failures.Add("Eve:Path: must be a file path");
            }
            else if (Directory.Exists(eve.Path))
            {
                failures.Add($"Eve:Path: '{eve.Path}' is a directory");
            }
            else if (directory is null || !Directory.Exists(directory))
            {
                failures.Add($"Eve:Path: directory '{directory}' does not exist");
            }
        }
        if (eve.RotateBytes is < 4096)
        {
            failures.Add($"Eve:RotateBytes: must be at least 4096 (got {eve.RotateBytes})");
        }
        if (eve.RotateKeep is < 1 or > 1000)
        {
            failures.Add($"Eve:RotateKeep: must be between 1 and 1000 (got {eve.RotateKeep})");
        }

        if (options.Metrics.Listen is not null && !ListenAddress.TryParse(options.Metrics.Listen, out _, out string error))
        {
            failures.Add($"Metrics:Listen: {error}");
        }

        if (options.Flows.Capacity is < 1 or > MaxFlowCapacity)
        {
            failures.Add($"Flows:Capacity: must be between 1 and {MaxFlowCapacity} (got {options.Flows.Capacity})");
        }
        if (options.Flows.TimeoutSeconds < 1)
        {
            failures.Add($"Flows:TimeoutSeconds: must be positive (got {options.Flows.TimeoutSeconds})");
        }

        CheckPath("Rules:Path", options.Rules.Path, failures);
        if (options.Rules.WatchDelayMilliseconds is < 0 or > 60000)
        {
            failures.Add($"Rules:WatchDelayMilliseconds: must be between 0 (no file watch) and 60000 (got {options.Rules.WatchDelayMilliseconds})");
        }
        CheckPath("Keys:Path", options.Keys.Path, failures);
        if (options.Plugins.Path is string plugins && !string.IsNullOrWhiteSpace(plugins) && !Directory.Exists(plugins))
        {
            failures.Add($"Plugins:Path: no such directory '{plugins}'");
        }
        else
        {
            CheckPath("Plugins:Path", options.Plugins.Path, failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPath(string key, string? path, List<string> failures)
    {
        if (path is null)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{key}: empty path");
        }
        else if (!File.Exists(path) && !Directory.Exists(path))
        {
            failures.Add($"{key}: no such file or directory '{path}'");
        }
    }
}
