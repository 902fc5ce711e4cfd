namespace Visibility.Cli.Capture;

/// <summary>A growable byte buffer that a worker's writers fill with finished records between two merges; reused
/// batch after batch, so it stops growing once it has seen the largest batch.</summary>
internal sealed class RecordBuffer
{
    private byte[] _bytes;

    public RecordBuffer(int capacity = 1 << 14) => _bytes = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span(int start, int length) => _bytes.AsSpan(start, length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_bytes.Length - Length < bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + bytes.Length));
        }
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Clear() => Length = 0;
}
