namespace Visibility.Cli.Capture;

/// <summary>The run's EVE and inner-packet outputs, written from the workers' per-batch outputs in
/// <see cref="OrderKey"/> order (reader thread).</summary>
/// <remarks>Within a batch every record's key falls inside the batch's packets (or the end of the run), so sorting
/// each batch's records is the whole merge. The scratch array is reused and grows only with the largest batch.</remarks>
internal sealed class OrderedOutput
{
    private readonly Stream? _eve;
    private readonly Stream? _inner;
    private (OrderKey Key, int Worker, int Index)[] _scratch = new (OrderKey, int, int)[1024];

    /// <param name="eve">Where EVE lines go, or null.</param>
    /// <param name="inner">Where inner-packet records go (after the file header), or null.</param>
    public OrderedOutput(Stream? eve, Stream? inner)
    {
        _eve = eve;
        _inner = inner;
    }

    /// <summary>Writes one batch's records, in order.</summary>
    public void Merge(PacketBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        WorkerOutput[] outputs = batch.Outputs;
        int total = 0;
        foreach (WorkerOutput output in outputs)
        {
            total += output.Entries.Count;
        }
        if (total == 0)
        {
            return;
        }
        if (_scratch.Length < total)
        {
            _scratch = new (OrderKey, int, int)[Math.Max(total, _scratch.Length * 2)];
        }
        int n = 0;
        for (int w = 0; w < outputs.Length; w++)
        {
            List<OutputEntry> entries = outputs[w].Entries;
            for (int i = 0; i < entries.Count; i++)
            {
                _scratch[n++] = (entries[i].Key, w, i);
            }
        }
        // One worker writes a batch's records almost always in order already: then the check is the whole merge.
        if (!InOrder(_scratch.AsSpan(0, n)))
        {
            Array.Sort(_scratch, 0, n, EntryComparer.Instance);
        }
        for (int k = 0; k < n; k++)
        {
            (_, int w, int i) = _scratch[k];
            WorkerOutput output = outputs[w];
            OutputEntry entry = output.Entries[i];
            if (entry.EveLength != 0)
            {
                _eve?.Write(output.Eve.Span(entry.EveStart, entry.EveLength));
            }
            if (entry.InnerLength != 0)
            {
                _inner?.Write(output.Inner.Span(entry.InnerStart, entry.InnerLength));
            }
        }
    }

    private static bool InOrder(ReadOnlySpan<(OrderKey Key, int Worker, int Index)> entries)
    {
        for (int k = 1; k < entries.Length; k++)
        {
            if (EntryComparer.Instance.Compare(entries[k - 1], entries[k]) > 0)
            {
                return false;
            }
        }
        return true;
    }

    private sealed class EntryComparer : IComparer<(OrderKey Key, int Worker, int Index)>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare((OrderKey Key, int Worker, int Index) x, (OrderKey Key, int Worker, int Index) y)
        {
            int c = x.Key.CompareTo(y.Key);
            if (c == 0)
            {
                c = x.Worker.CompareTo(y.Worker);
            }
            return c != 0 ? c : x.Index.CompareTo(y.Index);
        }
    }
}
