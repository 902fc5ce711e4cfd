using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Visibility.Cli.Service;

/// <summary>Sends <c>WATCHDOG=1</c> to systemd at half the unit's <c>WatchdogSec</c> while the capture worker's
/// heartbeat is fresh. Does nothing outside systemd or without <c>WatchdogSec</c>.</summary>
internal sealed class SystemdWatchdog : BackgroundService
{
    private readonly ISystemdNotifier? _notifier;
    private readonly WorkerHeartbeat _heartbeat;

    public SystemdWatchdog(IServiceProvider services, WorkerHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(services);
        _notifier = services.GetService(typeof(ISystemdNotifier)) as ISystemdNotifier;
        _heartbeat = heartbeat;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (_notifier is not { IsEnabled: true } || !long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) || microseconds <= 0)
        {
            return;
        }
        var interval = TimeSpan.FromMicroseconds(microseconds / 2);
        long staleAfter = microseconds / 1000;
        var ping = new ServiceState("WATCHDOG=1");
        using var timer = new PeriodicTimer(interval);
        do
        {
            if (Environment.TickCount64 - _heartbeat.Last < staleAfter)
            {
                _notifier.Notify(ping);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
