using System.Buffers.Binary;
using System.Numerics;

namespace Visibility.Cli.Capture;

/// <summary>A bounded, preallocated single-producer/single-consumer ring of captured frames: the capture thread
/// copies each frame in, the processing thread reads it out in place. Nothing is allocated per frame and no lock
/// is taken; a frame that does not fit is dropped and counted (<see cref="Overflows"/>).</summary>
/// <remarks>
/// Records are variable-length and 8-byte aligned in one byte array; a record never wraps around the end:
/// <code>
///   0      4                8                16
///   +------+----------------+----------------+---------------- ... -+
///   | Len  | OriginalLength | Timestamp (ns) | frame bytes (Len), padded to 8 |
///   +------+----------------+----------------+---------------- ... -+
/// </code>
/// A Len of -1 marks the unused tail of the array before the writer went back to the start. Positions are
/// running byte counts (never reset); the producer publishes its position with a release write after copying
/// the frame, and the consumer publishes its position after it is done with the bytes.
/// </remarks>
internal sealed class FrameRing
{
    private const int HeaderLength = 16;
    private const int WrapMarker = -1;

    private readonly byte[] _buffer;
    private readonly int _mask;

    // Producer and consumer positions on their own cache lines, so the two threads do not share a line.
    private PaddedLong _written;
    private PaddedLong _read;
    private long _overflows;
    private long _frames;

    /// <param name="capacityBytes">Bytes of frame storage; rounded up to a power of two, at least 64 KiB.</param>
    public FrameRing(int capacityBytes)
    {
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(capacityBytes, 1 << 16, 1 << 30));
        _buffer = GC.AllocateUninitializedArray<byte>(capacity, pinned: true);
        _mask = capacity - 1;
    }

    /// <summary>Bytes of frame storage.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Frames that did not fit (the consumer was behind); read from any thread.</summary>
    public long Overflows => Volatile.Read(ref _overflows);

    /// <summary>Frames written; read from any thread.</summary>
    public long Frames => Volatile.Read(ref _frames);

    /// <summary>True when every written frame has been read.</summary>
    public bool IsEmpty => Volatile.Read(ref _read.Value) == Volatile.Read(ref _written.Value);

    /// <summary>Producer side: copies one frame in. Returns false (and counts an overflow) when it does not fit.</summary>
    public bool TryWrite(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds)
    {
        int needed = HeaderLength + ((frame.Length + 7) & ~7);
        long written = _written.Value;
        int offset = (int)(written & _mask);
        int tail = _buffer.Length - offset;
        long required = needed <= tail ? needed : tail + needed;
        if (needed > _buffer.Length || _buffer.Length - (written - Volatile.Read(ref _read.Value)) < required)
        {
            Volatile.Write(ref _overflows, _overflows + 1);
            return false;
        }
        if (needed > tail)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(offset), WrapMarker);
            written += tail;
            offset = 0;
        }
        Span<byte> slot = _buffer.AsSpan(offset, needed);
        BinaryPrimitives.WriteInt32LittleEndian(slot, frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(slot[4..], originalLength);
        BinaryPrimitives.WriteInt64LittleEndian(slot[8..], timestampNanoseconds);
        frame.CopyTo(slot[HeaderLength..]);
        Volatile.Write(ref _frames, _frames + 1);
        Volatile.Write(ref _written.Value, written + needed);
        return true;
    }

    /// <summary>Consumer side: the oldest unread frame, valid until <see cref="Release"/>.</summary>
    public bool TryPeek(out ReadOnlySpan<byte> frame, out int originalLength, out long timestampNanoseconds)
    {
        long read = _read.Value;
        long written = Volatile.Read(ref _written.Value);
        if (read == written)
        {
            frame = default;
            originalLength = 0;
            timestampNanoseconds = 0;
            return false;
        }
        int offset = (int)(read & _mask);
        int length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(offset));
        if (length == WrapMarker)
        {
            read += _buffer.Length - offset;
            _read.Value = read;
            offset = 0;
            length = BinaryPrimitives.ReadInt32LittleEndian(_buffer);
        }
        ReadOnlySpan<byte> slot = _buffer.AsSpan(offset);
        originalLength = BinaryPrimitives.ReadInt32LittleEndian(slot[4..]);
        timestampNanoseconds = BinaryPrimitives.ReadInt64LittleEndian(slot[8..]);
        frame = slot.Slice(HeaderLength, length);
        return true;
    }

    /// <summary>Consumer side: gives the frame returned by the last <see cref="TryPeek"/> back to the producer.</summary>
    public void Release()
    {
        long read = _read.Value;
        int offset = (int)(read & _mask);
        int length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(offset));
        Volatile.Write(ref _read.Value, read + HeaderLength + ((length + 7) & ~7));
    }
}
