namespace Visibility.Cli.Service;

/// <summary>The <c>Rules</c> section: the rule file or folder, and how a change on disk triggers a reload.</summary>
internal sealed class RulesSection
{
    /// <summary>Default quiet period after the last change before a reload.</summary>
    public const int DefaultWatchDelayMilliseconds = 500;

    public string? Path { get; set; }

    /// <summary>Reload once the rules path (and <c>Plugins:Path</c>) have not changed for this long; 0 turns the file
    /// watch off (SIGHUP still reloads).</summary>
    public int WatchDelayMilliseconds { get; set; } = DefaultWatchDelayMilliseconds;
}
