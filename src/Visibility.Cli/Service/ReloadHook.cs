namespace Visibility.Cli.Service;

/// <summary>What SIGHUP triggers. Parts that can reload (rules, keys) register here; they run on the signal
/// thread and must hand the work to their own thread if it is not thread-safe.</summary>
internal sealed class ReloadHook
{
    private readonly Lock _lock = new();
    private readonly List<Action> _handlers = [];

    /// <summary>Reloads requested so far.</summary>
    public int Requests { get; private set; }

    public void Register(Action handler)
    {
        lock (_lock)
        {
            _handlers.Add(handler);
        }
    }

    public void Reload()
    {
        Action[] handlers;
        lock (_lock)
        {
            Requests++;
            handlers = [.. _handlers];
        }
        foreach (Action handler in handlers)
        {
            handler();
        }
    }
}
