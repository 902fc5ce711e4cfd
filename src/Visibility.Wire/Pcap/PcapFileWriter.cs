using System.Buffers.Binary;

namespace Visibility.Wire.Pcap;

/// <summary>Writes a classic little-endian pcap file (libpcap format 2.4), buffered and without allocating per packet.</summary>
/// <remarks>
/// https://www.tcpdump.org/manpages/pcap-savefile.5.html. File header, then one record per packet:
/// <code>
/// file header (24): magic a1b2c3d4 (µs) or a1b23c4d (ns) | version 2.4 | thiszone 0 | sigfigs 0 | snaplen | linktype
/// record header (16): ts seconds | ts µs or ns | captured length | original length, then the captured bytes
/// </code>
/// Packets longer than the snap length are cut to it, as a capturing libpcap would. Nothing reaches the stream
/// before the buffer fills, <see cref="Flush"/> or <see cref="Dispose"/>.
/// </remarks>
public sealed class PcapFileWriter : IDisposable
{
    /// <summary>libpcap's MAXIMUM_SNAPLEN, what tcpdump writes by default.</summary>
    public const int DefaultSnapLength = 262144;

    private const int BufferLength = 1 << 16;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;
    private const long NanosecondsPerSecond = 1_000_000_000;

    private readonly Stream _stream;
    private readonly bool _nanosecond;
    private readonly int _snapLength;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferLength];
    private int _count;
    private long _packetsWritten;
    private bool _disposed;

    /// <summary>Starts a pcap file on <paramref name="stream"/> (the file header is written at once into the buffer).</summary>
    /// <param name="stream">Where the file goes; disposed with the writer unless <paramref name="leaveOpen"/>.</param>
    /// <param name="linkType">The LINKTYPE of every packet.</param>
    /// <param name="nanosecond">Nanosecond timestamps (magic a1b23c4d) instead of microseconds.</param>
    /// <param name="snapLength">Largest number of bytes kept per packet.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open when the writer is disposed.</param>
    public PcapFileWriter(Stream stream, LinkType linkType, bool nanosecond = false, int snapLength = DefaultSnapLength, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(snapLength, 1);
        _stream = stream;
        _nanosecond = nanosecond;
        _snapLength = snapLength;
        _leaveOpen = leaveOpen;
        Span<byte> header = _buffer.AsSpan(0, FileHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanosecond ? 0xA1B23C4Du : 0xA1B2C3D4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        _count = FileHeaderLength;
    }

    /// <summary>Packets written so far.</summary>
    public long PacketsWritten => _packetsWritten;

    /// <summary>Appends one packet record.</summary>
    /// <param name="data">The captured bytes; cut to the snap length.</param>
    /// <param name="timestampNanoseconds">Nanoseconds since the Unix epoch; truncated to microseconds in a
    /// microsecond file. Seconds must fit the format's unsigned 32-bit field.</param>
    /// <param name="originalLength">The packet's length on the wire, at least <paramref name="data"/>'s length.</param>
    public void WritePacket(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(originalLength, data.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(timestampNanoseconds);
        long seconds = timestampNanoseconds / NanosecondsPerSecond;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, uint.MaxValue, nameof(timestampNanoseconds));
        long fraction = timestampNanoseconds % NanosecondsPerSecond;
        if (!_nanosecond)
        {
            fraction /= 1_000;
        }
        ReadOnlySpan<byte> captured = data.Length > _snapLength ? data[.._snapLength] : data;
        if (BufferLength - _count < RecordHeaderLength)
        {
            FlushBuffer();
        }
        Span<byte> header = _buffer.AsSpan(_count, RecordHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)fraction);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], captured.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], originalLength);
        _count += RecordHeaderLength;
        if (captured.Length <= BufferLength - _count)
        {
            captured.CopyTo(_buffer.AsSpan(_count));
            _count += captured.Length;
        }
        else
        {
            // Larger than what is left: send the buffered bytes, then the packet straight from the caller's span.
            FlushBuffer();
            _stream.Write(captured);
        }
        _packetsWritten++;
    }

    /// <summary>Writes the buffered bytes to the stream and flushes it.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushBuffer();
        _stream.Flush();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        try
        {
            FlushBuffer();
            _stream.Flush();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private void FlushBuffer()
    {
        if (_count > 0)
        {
            _stream.Write(_buffer, 0, _count);
            _count = 0;
        }
    }
}
