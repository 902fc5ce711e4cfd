using System.Buffers;

namespace Visibility.Cli.Capture;

/// <summary>One writer's handle on an output that several threads write records to (the concurrent workers of an
/// inline bridge): a whole record goes to the target under one lock, so records of different threads never
/// interleave inside a record.</summary>
/// <remarks>Two record boundaries. Per write (EVE: <c>EveWriter</c> hands over each finished line in one write):
/// every write goes through at once. Per flush (pcap: a packet record may come in two writes, then a flush):
/// writes gather in a buffer owned by this handle and go through at the flush. <see cref="Muted"/> discards what
/// is flushed (a pcap writer's file header, written once by the session instead).</remarks>
internal sealed class SharedRecordStream : Stream
{
    private readonly Stream _target;
    private readonly Lock _gate;
    private readonly ArrayBufferWriter<byte>? _pending;

    /// <param name="target">The shared output.</param>
    /// <param name="gate">The lock every handle on <paramref name="target"/> shares.</param>
    /// <param name="recordPerFlush">A record ends at a flush rather than at each write.</param>
    public SharedRecordStream(Stream target, Lock gate, bool recordPerFlush)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _gate = gate;
        _pending = recordPerFlush ? new ArrayBufferWriter<byte>(1 << 12) : null;
    }

    /// <summary>Flushed records are dropped instead of written.</summary>
    public bool Muted { get; set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_pending is not null)
        {
            _pending.Write(buffer);
            return;
        }
        lock (_gate)
        {
            _target.Write(buffer);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Per write: flushes the target. Per flush: hands the gathered record to the target (which is flushed
    /// when the session closes it, not per record).</summary>
    public override void Flush()
    {
        if (_pending is null)
        {
            lock (_gate)
            {
                _target.Flush();
            }
            return;
        }
        if (_pending.WrittenCount == 0)
        {
            return;
        }
        if (!Muted)
        {
            lock (_gate)
            {
                _target.Write(_pending.WrittenSpan);
            }
        }
        _pending.ResetWrittenCount();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
