using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;

namespace Visibility.Cli.Service;

/// <summary>Builds and runs the service host of <c>visibility run --config FILE</c>: configuration from the JSON
/// or YAML file, <c>VISIBILITY_</c> environment variables and the command line; options validated at start; the capture
/// worker; SIGTERM/SIGINT (graceful stop), SIGHUP (reload); systemd notify and watchdog when run by systemd.</summary>
internal static class ServiceHost
{
    public const string EnvironmentPrefix = "VISIBILITY_";

    /// <summary>Runs until stopped. Returns the process exit code; errors are one line on <paramref name="stderr"/>.</summary>
    public static int Run(string configPath, IReadOnlyList<string> overrides, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        string fullPath = Path.GetFullPath(configPath);
        if (Directory.Exists(fullPath) || !File.Exists(fullPath))
        {
            stderr.WriteLine($"visibility: error: config file '{configPath}': no such file");
            return ExitCodes.Usage;
        }

        IHost host;
        try
        {
            if (IsYaml(fullPath) && FindYamlSyntaxError(fullPath) is string syntax)
            {
                stderr.WriteLine($"visibility: error: config file '{configPath}': {syntax}");
                return ExitCodes.Usage;
            }
            host = Build(fullPath, overrides);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException)
        {
            stderr.WriteLine($"visibility: error: config file '{configPath}': {OneLine(e)}");
            return ExitCodes.Usage;
        }

        using (host)
        {
            try
            {
                // Bind and validate before starting, so a bad value is one line here, not a host failure log.
                _ = host.Services.GetRequiredService<IOptions<ServiceOptions>>().Value;
                host.Start();
            }
            catch (OptionsValidationException e)
            {
                stderr.WriteLine($"visibility: error: config: {string.Join("; ", e.Failures)}");
                return ExitCodes.Usage;
            }
            catch (InvalidOperationException e)
            {
                // Binding errors name the key: "Failed to convert configuration value at 'Flows:Capacity' ...".
                stderr.WriteLine($"visibility: error: config: {OneLine(e)}");
                return ExitCodes.Usage;
            }
            host.WaitForShutdown();
            CaptureWorker worker = host.Services.GetServices<IHostedService>().OfType<CaptureWorker>().Single();
            return worker.ExitCode;
        }
    }

    private static IHost Build(string configPath, IReadOnlyList<string> overrides)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "visibility",
            ContentRootPath = Path.GetDirectoryName(configPath),
        });
        if (IsYaml(configPath))
        {
            builder.Configuration.AddYamlFile(configPath, optional: false, reloadOnChange: false);
        }
        else
        {
            builder.Configuration.AddJsonFile(configPath, optional: false, reloadOnChange: false);
        }
        builder.Configuration
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine([.. overrides]);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        // Logs go to standard error (journald takes both); standard output stays free for data.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddOptions<ServiceOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        builder.Services.AddSingleton<ReloadHook>();
        builder.Services.AddSingleton<WorkerHeartbeat>();
        builder.Services.AddHostedService<SighupListener>();
        builder.Services.AddHostedService<CaptureWorker>();
        builder.Services.AddHostedService<SystemdWatchdog>();
        return builder.Build();
    }

    /// <summary>A file ending in <c>.yaml</c> or <c>.yml</c> is YAML; anything else is JSON.</summary>
    private static bool IsYaml(string configPath)
    {
        string extension = Path.GetExtension(configPath);
        return extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Runs the YAML parser over the whole file first, so a syntax error is reported with its line and
    /// column: the configuration provider only says that the file failed to load.</summary>
    /// <returns><c>line L, column C: what</c>, or null when the file is well-formed YAML.</returns>
    private static string? FindYamlSyntaxError(string configPath)
    {
        using StreamReader reader = File.OpenText(configPath);
        Scanner scanner = new(reader);
        Parser parser = new(scanner);
        try
        {
            while (parser.MoveNext())
            {
            }
            return null;
        }
        catch (YamlException e)
        {
            return $"line {e.Start.Line}, column {e.Start.Column}: {e.Message}".ReplaceLineEndings(" ");
        }
#pragma warning disable CA1031 // Some malformed input makes the scanner throw a bare Exception; the position is still known.
        catch (Exception e) when (e.GetType() == typeof(Exception))
#pragma warning restore CA1031
        {
            return $"line {scanner.CurrentPosition.Line}, column {scanner.CurrentPosition.Column}: not valid YAML";
        }
    }

    private static string OneLine(Exception e) => (e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message).ReplaceLineEndings(" ");
}
