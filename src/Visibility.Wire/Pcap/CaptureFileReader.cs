using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Visibility.Wire.Pcap;

/// <summary>Reads classic pcap and pcapng capture files from a stream, one packet record at a time, without
/// libpcap and without allocating per record.</summary>
/// <remarks>
/// <para>The stream is read in large chunks (up to 1 MiB) into one reused buffer; every
/// <see cref="CaptureRecord.Data"/> is a span into that buffer and is valid only until the next call to
/// <see cref="TryReadNext"/>. A record larger than the buffer grows it once to fit.</para>
/// <para>Classic pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html): both byte orders, microsecond
/// (0xa1b2c3d4) and nanosecond (0xa1b23c4d) magic. The link-type field is masked to its low 16 bits, the rest
/// being FCS flags. A snaplen of 0 reads as 262144, as libpcap does. A record whose captured length exceeds its
/// original length is returned as it is (libpcap and Wireshark do not correct it either);
/// <see cref="CaptureRecord.OriginalLength"/> then is the smaller value.</para>
/// <para>pcapng (draft-ietf-opsawg-pcapng): Section Header, Interface Description, Enhanced Packet, Simple Packet
/// and the obsolete Packet Block are read; every other block is skipped and counted in <see cref="SkippedBlocks"/>.
/// A new section may change byte order and starts a new interface list, so
/// <see cref="CaptureRecord.InterfaceId"/> is the index within the record's section.</para>
/// <para>Damage is a <see cref="CaptureFileException"/> with a one-line message naming the record number and
/// byte offset. Every whole record before the damage is returned first; once thrown, the reader keeps throwing
/// the same error.</para>
/// </remarks>
public sealed partial class CaptureFileReader : IDisposable
{
    /// <summary>libpcap's MAXIMUM_SNAPLEN: the snap length a header value of 0 stands for, and the smallest
    /// per-record limit this reader applies.</summary>
    internal const int DefaultSnapLength = 262144;

    /// <summary>The largest per-link limit libpcap knows (DLT_DBUS, 128 MiB). A header snaplen beyond it is read
    /// as damage, not as permission to allocate more.</summary>
    internal const int MaxSnapLength = 128 * 1024 * 1024;

    internal const int DefaultBufferLength = 1 << 20;
    private const int MinimumBufferLength = 256;
    private const int PcapFileHeaderLength = 24;
    private const int PcapRecordHeaderLength = 16;
    private const long NanosecondsPerSecond = 1_000_000_000;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _bigEndian;
    private CaptureFormat _format;
    private LinkType _linkType;
    private int _snapLength;
    private uint _maxCapturedLength;
    private long _recordsRead;
    private long _skippedBlocks;
    private string? _faultMessage;
    private long _faultOffset;
    private long _faultRecord;
    private bool _disposed;

    private CaptureFileReader(Stream stream, int bufferLength)
    {
        _stream = stream;
        _buffer = new byte[bufferLength];
    }

    /// <summary>Opens a capture stream, reading and checking its file header (pcap) or first section header (pcapng).</summary>
    /// <remarks>The reader owns the stream from here on: <see cref="Dispose"/> disposes it, and so does a failed open.</remarks>
    /// <exception cref="CaptureFileException">The stream is not a capture file this reader understands.</exception>
    public static CaptureFileReader Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int bufferLength = DefaultBufferLength;
        if (stream.CanSeek)
        {
            // A small file needs no 1 MiB buffer.
            bufferLength = (int)Math.Clamp(stream.Length - stream.Position, MinimumBufferLength, DefaultBufferLength);
        }
        return Open(stream, bufferLength);
    }

    /// <summary>Opens a capture stream with a chosen initial buffer size (tests use tiny buffers to exercise refills).</summary>
    internal static CaptureFileReader Open(Stream stream, int bufferLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferLength, 1);
        var reader = new CaptureFileReader(stream, bufferLength);
        try
        {
            reader.ReadFileHeader();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The container format recognised from the file's magic number.</summary>
    public CaptureFormat Format => _format;

    /// <summary>Packet records read so far.</summary>
    public long RecordsRead => _recordsRead;

    /// <summary>pcapng blocks skipped because this reader does not use their type (name resolution, interface
    /// statistics, decryption secrets, custom and unknown blocks). Always 0 for classic pcap.</summary>
    public long SkippedBlocks => _skippedBlocks;

    /// <summary>Snap length of a classic pcap file, or of the interface of the last pcapng record read; a 0 in the
    /// file (pcapng: "no limit") reads as 262144, as in libpcap.</summary>
    public int SnapLength => _snapLength;

    /// <summary>Current length of the reused buffer (grows only for a record that does not fit).</summary>
    internal int BufferLength => _buffer.Length;

    /// <summary>Byte offset in the stream of the next unread byte.</summary>
    internal long Position => _bufferOffset + _start;

    /// <summary>Reads the next packet record. Returns false at the clean end of the file.</summary>
    /// <param name="record">The record; its <see cref="CaptureRecord.Data"/> is valid until the next call.</param>
    /// <exception cref="CaptureFileException">The file ends inside a record or block, or a record is inconsistent.</exception>
    public bool TryReadNext(out CaptureRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faultMessage is not null)
        {
            throw new CaptureFileException(_faultMessage, _faultOffset, _faultRecord);
        }
        return _format == CaptureFormat.PcapNg ? TryReadPcapNgRecord(out record) : TryReadPcapRecord(out record);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _stream.Dispose();
        }
    }

    private void ReadFileHeader()
    {
        if (!Ensure(4))
        {
            long length = RemainingBytes();
            if (length == 0)
            {
                Fail("capture file is empty", 0, 0);
            }
            Fail($"not a capture file: only {length} bytes long", 0, 0);
        }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start, 4));
        switch (magic)
        {
            case 0xA1B2C3D4:
                ReadPcapHeader(bigEndian: false, nanosecond: false);
                break;
            case 0xD4C3B2A1:
                ReadPcapHeader(bigEndian: true, nanosecond: false);
                break;
            case 0xA1B23C4D:
                ReadPcapHeader(bigEndian: false, nanosecond: true);
                break;
            case 0x4D3CB2A1:
                ReadPcapHeader(bigEndian: true, nanosecond: true);
                break;
            case SectionHeaderBlockType:
                _format = CaptureFormat.PcapNg;
                ReadSectionHeader();
                break;
            case 0xA1B2CD34:
            case 0x34CDB2A1:
                Fail("unsupported capture format: modified (Kuznetzov) pcap; convert it with editcap -F pcap", 0, 0);
                break;
            default:
                FailBadMagic();
                break;
        }
    }

    private void ReadPcapHeader(bool bigEndian, bool nanosecond)
    {
        _bigEndian = bigEndian;
        _format = nanosecond ? CaptureFormat.PcapNanosecond : CaptureFormat.Pcap;
        if (!Ensure(PcapFileHeaderLength))
        {
            Fail($"capture file ends inside the pcap file header ({RemainingBytes()} of {PcapFileHeaderLength} bytes)", 0, 0);
        }
        ReadOnlySpan<byte> header = _buffer.AsSpan(_start, PcapFileHeaderLength);
        ushort versionMajor = ReadUInt16(header[4..]);
        if (versionMajor != 2)
        {
            Fail($"unsupported pcap version {versionMajor}.{ReadUInt16(header[6..])} in the file header (only 2.x is defined)", 0, 0);
        }
        uint snapLength = ReadUInt32(header[16..]);
        _snapLength = snapLength == 0 || snapLength > MaxSnapLength ? DefaultSnapLength : (int)snapLength;
        _maxCapturedLength = (uint)Math.Max(_snapLength, DefaultSnapLength);
        _linkType = (LinkType)(ReadUInt32(header[20..]) & 0xFFFF);
        _start += PcapFileHeaderLength;
    }

    private bool TryReadPcapRecord(out CaptureRecord record)
    {
        if (!Ensure(PcapRecordHeaderLength))
        {
            if (_end == _start)
            {
                record = default;
                return false;
            }
            FailTruncated("the header of record", _recordsRead + 1, PcapRecordHeaderLength);
        }
        ReadOnlySpan<byte> header = _buffer.AsSpan(_start, PcapRecordHeaderLength);
        uint seconds = ReadUInt32(header);
        uint fraction = ReadUInt32(header[4..]);
        uint capturedLength = ReadUInt32(header[8..]);
        uint originalLength = ReadUInt32(header[12..]);
        if (capturedLength > _maxCapturedLength)
        {
            FailRecordTooLarge(capturedLength, _maxCapturedLength);
        }
        int recordLength = PcapRecordHeaderLength + (int)capturedLength;
        if (!Ensure(recordLength))
        {
            FailTruncated("record", _recordsRead + 1, recordLength);
        }
        long timestamp = (seconds * NanosecondsPerSecond) + (_format == CaptureFormat.PcapNanosecond ? fraction : fraction * 1_000L);
        _recordsRead++;
        record = new CaptureRecord(_buffer.AsSpan(_start + PcapRecordHeaderLength, (int)capturedLength), ClampToInt(originalLength), timestamp, _linkType, 0, _recordsRead);
        _start += recordLength;
        return true;
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available at <c>_start</c>; false when the
    /// stream ends first (whatever it had is then buffered).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Ensure(int count) => _end - _start >= count || Fill(count);

    private bool Fill(int count)
    {
        int available = _end - _start;
        byte[] target = _buffer;
        if (count > _buffer.Length)
        {
            if (_stream.CanSeek && count - available > _stream.Length - _stream.Position)
            {
                // The stream cannot hold the record: no point growing the buffer for it.
                return false;
            }
            target = new byte[Math.Max(count, (int)Math.Min(2L * _buffer.Length, Array.MaxLength))];
        }
        // Refills happen once per buffer's worth of records, so moving the unread tail to the front is cheap and
        // leaves the whole buffer for one large read.
        Buffer.BlockCopy(_buffer, _start, target, 0, available);
        _buffer = target;
        _bufferOffset += _start;
        _start = 0;
        _end = available;
        while (_end < count)
        {
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                return false;
            }
            _end += read;
        }
        return true;
    }

    /// <summary>Bytes left in the file from <c>_start</c>, for messages about a truncated record.</summary>
    private long RemainingBytes()
    {
        long remaining = _end - _start;
        if (_stream.CanSeek)
        {
            remaining += Math.Max(0, _stream.Length - _stream.Position);
        }
        return remaining;
    }

    private ushort ReadUInt16(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(source) : BinaryPrimitives.ReadUInt16LittleEndian(source);

    private uint ReadUInt32(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(source) : BinaryPrimitives.ReadUInt32LittleEndian(source);

    private ulong ReadUInt64(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(source) : BinaryPrimitives.ReadUInt64LittleEndian(source);

    private static int ClampToInt(uint value) => value > int.MaxValue ? int.MaxValue : (int)value;
}
