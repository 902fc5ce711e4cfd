using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Visibility.Cli.Service;

/// <summary>Turns SIGHUP into a reload request (logged as "reload requested") instead of ending the process.</summary>
internal sealed partial class SighupListener : IHostedService, IDisposable
{
    private readonly ReloadHook _hook;
    private readonly ILogger<SighupListener> _logger;
    private PosixSignalRegistration? _registration;

    public SighupListener(ReloadHook hook, ILogger<SighupListener> logger)
    {
        _hook = hook;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        LogReload(_logger);
        _hook.Reload();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: reload requested")]
    private static partial void LogReload(ILogger logger);
}
