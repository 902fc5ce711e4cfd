using System.Buffers.Binary;

namespace Visibility.Wire.Pcap;

/// <summary>Reads classic pcap files from a stream into one reused buffer.</summary>
/// <remarks>PLACEHOLDER for the foundation branch: classic pcap only. The capture-file work replaces this file
/// with the full pcap + pcapng reader keeping the same public surface.</remarks>
public sealed class CaptureFileReader : IDisposable
{
    private const int RecordHeaderLength = 16;
    private readonly Stream _stream;
    private readonly bool _swap;
    private readonly bool _nanoseconds;
    private readonly LinkType _linkType;
    private byte[] _buffer = new byte[1 << 16];
    private long _offset = 24;
    private long _frameNumber;

    private CaptureFileReader(Stream stream, bool swap, bool nanoseconds, LinkType linkType)
    {
        _stream = stream;
        _swap = swap;
        _nanoseconds = nanoseconds;
        _linkType = linkType;
    }

    /// <summary>Opens a capture stream, reading and checking its file header.</summary>
    /// <exception cref="CaptureFileException">The stream is not a capture file this reader understands.</exception>
    public static CaptureFileReader Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[24];
        if (stream.ReadAtLeast(header, 24, throwOnEndOfStream: false) < 24)
        {
            throw new CaptureFileException("not a capture file: shorter than a pcap file header (24 bytes)");
        }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        (bool swap, bool ns) = magic switch
        {
            0xA1B2C3D4 => (false, false),
            0xA1B23C4D => (false, true),
            0xD4C3B2A1 => (true, false),
            0x4D3CB2A1 => (true, true),
            _ => throw new CaptureFileException($"not a capture file: unknown magic number 0x{magic:x8}"),
        };
        uint link = swap ? BinaryPrimitives.ReadUInt32BigEndian(header[20..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        return new CaptureFileReader(stream, swap, ns, (LinkType)(link & 0xFFFF));
    }

    /// <summary>Packet records read so far.</summary>
    public long RecordsRead => _frameNumber;

    /// <summary>Reads the next packet record. Returns false at the clean end of the file.</summary>
    /// <exception cref="CaptureFileException">The file ends inside a record or a record is inconsistent.</exception>
    public bool TryReadNext(out CaptureRecord record)
    {
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        int got = _stream.ReadAtLeast(header, RecordHeaderLength, throwOnEndOfStream: false);
        if (got == 0)
        {
            record = default;
            return false;
        }
        if (got < RecordHeaderLength)
        {
            throw new CaptureFileException($"capture file ends inside the header of record {_frameNumber + 1} (byte offset {_offset})");
        }
        uint sec = Read32(header);
        uint frac = Read32(header[4..]);
        uint capLen = Read32(header[8..]);
        uint origLen = Read32(header[12..]);
        if (capLen > 0x4000000)
        {
            throw new CaptureFileException($"record {_frameNumber + 1} at byte offset {_offset} claims {capLen} captured bytes; the file is damaged");
        }
        if (_buffer.Length < capLen)
        {
            _buffer = new byte[Math.Max(capLen, _buffer.Length * 2)];
        }
        Span<byte> data = _buffer.AsSpan(0, (int)capLen);
        if (_stream.ReadAtLeast(data, (int)capLen, throwOnEndOfStream: false) < capLen)
        {
            throw new CaptureFileException($"capture file ends inside the data of record {_frameNumber + 1} (byte offset {_offset})");
        }
        _offset += RecordHeaderLength + capLen;
        _frameNumber++;
        long ts = sec * 1_000_000_000L + (_nanoseconds ? frac : frac * 1000L);
        record = new CaptureRecord(data, (int)Math.Max(origLen, capLen), ts, _linkType, 0, _frameNumber);
        return true;
    }

    private uint Read32(ReadOnlySpan<byte> s) => _swap ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    public void Dispose() => _stream.Dispose();
}
