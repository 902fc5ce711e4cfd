namespace Visibility.Cli.Capture;

/// <summary>What one worker wrote while processing one batch: EVE lines and inner-packet records, each event's bytes
/// tagged with its <see cref="OrderKey"/>, waiting for the merge.</summary>
internal sealed class WorkerOutput
{
    public RecordBuffer Eve { get; } = new();

    public RecordBuffer Inner { get; } = new();

    public List<OutputEntry> Entries { get; } = new(256);

    public void Clear()
    {
        Eve.Clear();
        Inner.Clear();
        Entries.Clear();
    }
}
