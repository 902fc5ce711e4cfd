namespace Visibility.Cli.Capture;

/// <summary>A write-only stream into whichever <see cref="RecordBuffer"/> is its target now: a worker's EVE writer
/// writes through it into the output of the batch being processed.</summary>
internal sealed class RecordBufferStream : Stream
{
    private RecordBuffer _target = new(16);

    public RecordBuffer Target
    {
        get => _target;
        set => _target = value ?? throw new ArgumentNullException(nameof(value));
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _target.Length;

    public override long Position
    {
        get => _target.Length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _target.Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _target.Write(buffer);

    public override void WriteByte(byte value) => _target.Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
