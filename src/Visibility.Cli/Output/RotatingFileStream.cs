using System.Globalization;

namespace Visibility.Cli.Output;

/// <summary>A write-only file stream that starts a new file once the current one holds at least
/// <c>rotateBytes</c>, and only between two lines, so no EVE record is ever split across files.</summary>
/// <remarks>On rotation <c>PATH</c> becomes <c>PATH.1</c>, <c>PATH.1</c> becomes <c>PATH.2</c>, and so on; at most
/// <c>keep</c> rotated files are kept. Writers append whole lines, so "the last byte written was a newline" is
/// exactly "between two records".</remarks>
internal sealed class RotatingFileStream : Stream
{
    private const int BufferSize = 1 << 20;
    private readonly string _path;
    private readonly long _rotateBytes;
    private readonly int _keep;
    private FileStream _current;
    private long _length;
    private bool _atLineStart = true;

    public RotatingFileStream(string path, long rotateBytes, int keep = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rotateBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        _path = path;
        _rotateBytes = rotateBytes;
        _keep = keep;
        _current = Open(path);
    }

    /// <summary>Files started so far, the first one included.</summary>
    public int Files { get; private set; } = 1;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }
        if (_atLineStart && _length >= _rotateBytes)
        {
            Rotate();
        }
        _current.Write(buffer);
        _length += buffer.Length;
        _atLineStart = buffer[^1] == (byte)'\n';
    }

    public override void WriteByte(byte value)
    {
        if (_atLineStart && _length >= _rotateBytes)
        {
            Rotate();
        }
        _current.WriteByte(value);
        _length++;
        _atLineStart = value == (byte)'\n';
    }

    public override void Flush() => _current.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current.Dispose();
        }
        base.Dispose(disposing);
    }

    private static FileStream Open(string path) => new(path, FileMode.Create, FileAccess.Write, FileShare.Read, BufferSize);

    private string Rotated(int n) => _path + "." + n.ToString(CultureInfo.InvariantCulture);

    private void Rotate()
    {
        _current.Dispose();
        File.Delete(Rotated(_keep));
        for (int n = _keep - 1; n >= 1; n--)
        {
            if (File.Exists(Rotated(n)))
            {
                File.Move(Rotated(n), Rotated(n + 1));
            }
        }
        File.Move(_path, Rotated(1));
        _current = Open(_path);
        _length = 0;
        Files++;
    }
}
