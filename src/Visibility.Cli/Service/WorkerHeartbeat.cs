namespace Visibility.Cli.Service;

/// <summary>When the capture worker last made progress (<see cref="Environment.TickCount64"/>), for the systemd
/// watchdog: a stuck processing thread stops the pings and systemd restarts the service.</summary>
internal sealed class WorkerHeartbeat
{
    private long _last = Environment.TickCount64;

    public long Last => Volatile.Read(ref _last);

    public void Beat() => Volatile.Write(ref _last, Environment.TickCount64);
}
