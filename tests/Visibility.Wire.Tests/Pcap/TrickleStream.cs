namespace Visibility.Wire.Tests.Pcap;

/// <summary>A read-only, non-seekable stream that returns at most a few bytes per read, as a pipe or socket may.</summary>
internal sealed class TrickleStream : Stream
{
    private readonly byte[] _data;
    private readonly int _maxRead;
    private int _position;

    public TrickleStream(byte[] data, int maxRead)
    {
        _data = data;
        _maxRead = maxRead;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int length = Math.Min(Math.Min(count, _maxRead), _data.Length - _position);
        Array.Copy(_data, _position, buffer, offset, length);
        _position += length;
        return length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
