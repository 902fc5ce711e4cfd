using Visibility.Cli.Rules;

namespace Visibility.Cli.Service;

/// <summary>Watches the rules path (a file, or a folder of <c>*.rules</c> and <c>variables.conf</c>) and the plugins
/// folder, and calls back once the changes have settled: every change restarts a quiet period, so an editor's
/// save or a multi-file copy triggers one reload.</summary>
/// <remarks>The callback runs on a timer thread; it must serialise with other reloads itself.</remarks>
internal sealed class RulesWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _timer;
    private readonly TimeSpan _quiet;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="rulesPath">A rule file or folder, or null.</param>
    /// <param name="pluginsPath">A plugins folder, or null.</param>
    /// <param name="quiet">How long the paths must stay unchanged before <paramref name="changed"/> runs.</param>
    /// <param name="changed">Called with a short description of what changed first.</param>
    public RulesWatcher(string? rulesPath, string? pluginsPath, TimeSpan quiet, Action<string> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        _quiet = quiet;
        string first = string.Empty;
        _timer = new Timer(_ =>
        {
            string what;
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }
                what = first;
                first = string.Empty;
            }
            changed(what);
        });
        void OnEvent(string path)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }
                if (first.Length == 0)
                {
                    first = path;
                }
                _timer.Change(_quiet, Timeout.InfiniteTimeSpan);
            }
        }

        if (rulesPath is not null)
        {
            string full = Path.GetFullPath(rulesPath);
            if (Directory.Exists(full))
            {
                Watch(full, "*.rules", false, OnEvent);
                Watch(full, RuleLoader.VariablesFile, false, OnEvent);
            }
            else
            {
                Watch(Path.GetDirectoryName(full)!, Path.GetFileName(full), false, OnEvent);
            }
        }
        if (pluginsPath is not null)
        {
            Watch(Path.GetFullPath(pluginsPath), "*.dll", true, OnEvent);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }
        _timer.Dispose();
    }

    private void Watch(string directory, string filter, bool subdirectories, Action<string> onEvent)
    {
        var watcher = new FileSystemWatcher(directory, filter)
        {
            IncludeSubdirectories = subdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, e) => onEvent(e.FullPath);
        watcher.Created += (_, e) => onEvent(e.FullPath);
        watcher.Deleted += (_, e) => onEvent(e.FullPath);
        watcher.Renamed += (_, e) => onEvent(e.FullPath);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }
}
