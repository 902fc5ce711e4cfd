using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>A run of consecutive packets handed from the reader to every worker at once, with what each worker wrote
/// while processing it. Pooled: the reader fills it, every worker reads it (processing its own packets and moving its
/// clock on the others), the reader merges the outputs and fills it again.</summary>
internal sealed class PacketBatch
{
    /// <summary>Packets per batch: large enough that the hand-off costs little per packet, small enough that output
    /// is merged often.</summary>
    public const int MaxPackets = 512;
    private const int DataCapacity = 1 << 20;

    private readonly int[] _offsets = new int[MaxPackets];
    private readonly int[] _lengths = new int[MaxPackets];
    private readonly int[] _originalLengths = new int[MaxPackets];
    private readonly long[] _timestamps = new long[MaxPackets];
    private readonly long[] _frameNumbers = new long[MaxPackets];
    private readonly LinkType[] _linkTypes = new LinkType[MaxPackets];
    private readonly byte[] _workers = new byte[MaxPackets];
    private readonly int[] _sources = new int[MaxPackets];
    private byte[] _data = new byte[DataCapacity];
    private int _used;
    internal int Pending;

    public PacketBatch(int workers)
    {
        Outputs = new WorkerOutput[workers];
        for (int i = 0; i < workers; i++)
        {
            Outputs[i] = new WorkerOutput();
        }
    }

    /// <summary>Packets in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Run-wide sequence number of the first packet (the others follow one by one).</summary>
    public long FirstSequence { get; set; }

    /// <summary>The last batch of the run: workers end their flows and IKE SAs on it.</summary>
    public bool IsFinal { get; set; }

    /// <summary>A piece of the end of the run (a batch without packets): workers end the flows whose last packet is at
    /// most this run-wide sequence number; 0 for other batches.</summary>
    public long EndFlowsSeenUpTo { get; set; }

    /// <summary>Per worker, what it wrote for this batch.</summary>
    public WorkerOutput[] Outputs { get; }

    public ReadOnlySpan<byte> Frame(int i) => _data.AsSpan(_offsets[i], _lengths[i]);

    public int OriginalLength(int i) => _originalLengths[i];

    public long Timestamp(int i) => _timestamps[i];

    public long FrameNumber(int i) => _frameNumbers[i];

    public LinkType LinkType(int i) => _linkTypes[i];

    public int Worker(int i) => _workers[i];

    public int Source(int i) => _sources[i];

    /// <summary>Copies one frame in; false when the batch is full (a frame larger than the whole buffer grows it, so an
    /// empty batch always takes the frame).</summary>
    public bool TryAdd(ReadOnlySpan<byte> frame, int originalLength, long timestamp, LinkType linkType, long frameNumber, int worker, int source)
    {
        if (Count == MaxPackets || (_data.Length - _used < frame.Length && Count > 0))
        {
            return false;
        }
        if (_data.Length - _used < frame.Length)
        {
            _data = new byte[frame.Length];
        }
        int i = Count++;
        frame.CopyTo(_data.AsSpan(_used));
        _offsets[i] = _used;
        _lengths[i] = frame.Length;
        _used += frame.Length;
        _originalLengths[i] = originalLength;
        _timestamps[i] = timestamp;
        _frameNumbers[i] = frameNumber;
        _linkTypes[i] = linkType;
        _workers[i] = (byte)worker;
        _sources[i] = source;
        return true;
    }

    /// <summary>Empties the batch and its outputs for reuse.</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
        IsFinal = false;
        EndFlowsSeenUpTo = 0;
        foreach (WorkerOutput output in Outputs)
        {
            output.Clear();
        }
    }
}
