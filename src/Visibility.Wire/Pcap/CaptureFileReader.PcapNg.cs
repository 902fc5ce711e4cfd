using System.Buffers.Binary;

namespace Visibility.Wire.Pcap;

/// <remarks>
/// pcapng blocks (draft-ietf-opsawg-pcapng section 3.1); every block has the same frame:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |                          Block Type                           |
/// +---------------------------------------------------------------+
/// |                      Block Total Length                       |
/// +---------------------------------------------------------------+
/// /                          Block Body                           /
/// +---------------------------------------------------------------+
/// |                      Block Total Length                       |
/// +---------------------------------------------------------------+
/// </code>
/// The total length counts the whole block, is a multiple of 4 and appears at both ends.
/// </remarks>
public sealed partial class CaptureFileReader
{
    private const uint SectionHeaderBlockType = 0x0A0D0D0A;
    private const uint InterfaceDescriptionBlockType = 1;
    private const uint PacketBlockType = 2;
    private const uint SimplePacketBlockType = 3;
    private const uint EnhancedPacketBlockType = 6;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const uint SwappedByteOrderMagic = 0x4D3C2B1A;

    private const int MinimumBlockLength = 12;
    private const int SectionHeaderMinimumLength = 28;
    private const int InterfaceDescriptionMinimumLength = 20;
    private const int EnhancedPacketMinimumLength = 32;
    private const int SimplePacketMinimumLength = 16;
    private const int PacketBlockMinimumLength = 32;

    /// <summary>Largest block accepted: the largest packet plus room for headers and options.</summary>
    private const int MaxBlockLength = MaxSnapLength + (1 << 20);

    private const ushort OptionEndOfOpt = 0;
    private const ushort OptionIfTsResol = 9;
    private const ushort OptionIfTsOffset = 14;
    private const byte DefaultTimestampResolution = 6;

    private PcapNgInterface[] _interfaces = [];
    private int _interfaceCount;

    private bool TryReadPcapNgRecord(out CaptureRecord record)
    {
        while (true)
        {
            if (!Ensure(8))
            {
                if (_end == _start)
                {
                    record = default;
                    return false;
                }
                FailTruncatedBlockHeader();
            }
            ReadOnlySpan<byte> head = _buffer.AsSpan(_start, 8);
            uint type = ReadUInt32(head);
            uint length = ReadUInt32(head[4..]);
            switch (type)
            {
                case EnhancedPacketBlockType:
                    ReadEnhancedPacket(length, out record);
                    return true;
                case SimplePacketBlockType:
                    ReadSimplePacket(length, out record);
                    return true;
                case PacketBlockType:
                    ReadObsoletePacket(length, out record);
                    return true;
                case InterfaceDescriptionBlockType:
                    ReadInterfaceDescription(length);
                    break;
                case SectionHeaderBlockType:
                    ReadSectionHeader();
                    break;
                default:
                    SkipBlock(type, length);
                    break;
            }
        }
    }

    /// <summary>Section Header Block (section 4.1): Byte-Order Magic at offset 8 decides the byte order of
    /// everything up to the next SHB; Major Version (offset 12) must be 1.</summary>
    private void ReadSectionHeader()
    {
        long offset = Position;
        if (!Ensure(12))
        {
            Fail($"capture file ends inside the pcapng section header block at byte offset {offset} ({RemainingBytes()} of at least {SectionHeaderMinimumLength} bytes)", offset, 0);
        }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start + 8, 4));
        if (magic == ByteOrderMagic)
        {
            _bigEndian = false;
        }
        else if (magic == SwappedByteOrderMagic)
        {
            _bigEndian = true;
        }
        else
        {
            Fail($"pcapng section header block at byte offset {offset} has an unknown byte-order magic 0x{magic:x8}", offset, 0);
        }
        uint length = ReadUInt32(_buffer.AsSpan(_start + 4, 4));
        ReadOnlySpan<byte> block = LoadBlock(SectionHeaderBlockType, length, SectionHeaderMinimumLength, 0);
        ushort versionMajor = ReadUInt16(block[12..]);
        if (versionMajor != 1)
        {
            Fail($"pcapng section header block at byte offset {offset} has unsupported version {versionMajor}.{ReadUInt16(block[14..])} (only 1.x is defined)", offset, 0);
        }
        _interfaceCount = 0;
        _start += (int)length;
    }

    /// <summary>Interface Description Block (section 4.2): LinkType (16 bits), reserved, SnapLen, options.
    /// Of the options only if_tsresol (9) and if_tsoffset (14) change how records are read.</summary>
    private void ReadInterfaceDescription(uint length)
    {
        ReadOnlySpan<byte> block = LoadBlock(InterfaceDescriptionBlockType, length, InterfaceDescriptionMinimumLength, 0);
        var linkType = (LinkType)ReadUInt16(block[8..]);
        uint snapLength = ReadUInt32(block[12..]);
        byte resolution = DefaultTimestampResolution;
        long offsetSeconds = 0;
        ReadOnlySpan<byte> options = block[16..^4];
        while (options.Length >= 4)
        {
            ushort code = ReadUInt16(options);
            int optionLength = ReadUInt16(options[2..]);
            int paddedLength = (optionLength + 3) & ~3;
            if (code == OptionEndOfOpt || paddedLength > options.Length - 4)
            {
                // An option running past the block is ignored with the rest: the packets are still readable.
                break;
            }
            ReadOnlySpan<byte> value = options.Slice(4, optionLength);
            if (code == OptionIfTsResol && optionLength >= 1)
            {
                resolution = value[0];
            }
            else if (code == OptionIfTsOffset && optionLength == 8)
            {
                offsetSeconds = (long)ReadUInt64(value);
            }
            options = options[(4 + paddedLength)..];
        }
        if (_interfaceCount == _interfaces.Length)
        {
            Array.Resize(ref _interfaces, Math.Max(4, _interfaces.Length * 2));
        }
        _interfaces[_interfaceCount++] = new PcapNgInterface(linkType, snapLength, resolution, offsetSeconds);
        if (_recordsRead == 0 && _interfaceCount == 1)
        {
            _snapLength = NormalizeSnapLength(snapLength);
        }
        _start += (int)length;
    }

    /// <summary>Enhanced Packet Block (section 4.3):
    /// <code>
    ///  8 Interface ID | 12 Timestamp (High) | 16 Timestamp (Low) | 20 Captured Packet Length
    /// 24 Original Packet Length | 28 Packet Data, padded to 32 bits | Options | Block Total Length
    /// </code></summary>
    private void ReadEnhancedPacket(uint length, out CaptureRecord record)
    {
        ReadOnlySpan<byte> block = LoadBlock(EnhancedPacketBlockType, length, EnhancedPacketMinimumLength, _recordsRead + 1);
        uint interfaceId = ReadUInt32(block[8..]);
        ulong timestamp = ((ulong)ReadUInt32(block[12..]) << 32) | ReadUInt32(block[16..]);
        ReadPacketBody(EnhancedPacketBlockType, block, length, interfaceId, timestamp, out record);
    }

    /// <summary>Packet Block (appendix A, obsolete): as the EPB but with a 16-bit Interface ID followed by a
    /// 16-bit Drops Count.</summary>
    private void ReadObsoletePacket(uint length, out CaptureRecord record)
    {
        ReadOnlySpan<byte> block = LoadBlock(PacketBlockType, length, PacketBlockMinimumLength, _recordsRead + 1);
        uint interfaceId = ReadUInt16(block[8..]);
        ulong timestamp = ((ulong)ReadUInt32(block[12..]) << 32) | ReadUInt32(block[16..]);
        ReadPacketBody(PacketBlockType, block, length, interfaceId, timestamp, out record);
    }

    private void ReadPacketBody(uint type, ReadOnlySpan<byte> block, uint length, uint interfaceId, ulong timestamp, out CaptureRecord record)
    {
        ref readonly PcapNgInterface description = ref GetInterface(type, interfaceId);
        uint capturedLength = ReadUInt32(block[20..]);
        uint originalLength = ReadUInt32(block[24..]);
        uint room = length - EnhancedPacketMinimumLength;
        if (capturedLength > room)
        {
            Fail($"pcapng {BlockName(type)} of record {_recordsRead + 1} at byte offset {Position}: captured length {capturedLength} exceeds the {room} bytes its block holds", Position, _recordsRead + 1);
        }
        uint limit = (uint)Math.Max(NormalizeSnapLength(description.SnapLength), DefaultSnapLength);
        if (capturedLength > limit)
        {
            FailRecordTooLarge(capturedLength, limit);
        }
        _recordsRead++;
        _snapLength = NormalizeSnapLength(description.SnapLength);
        record = new CaptureRecord(block.Slice(28, (int)capturedLength), ClampToInt(originalLength), description.ToNanoseconds(timestamp), description.LinkType, (int)interfaceId, _recordsRead);
        _start += (int)length;
    }

    /// <summary>Simple Packet Block (section 4.4): Original Packet Length, then the data, for interface 0. The
    /// captured length is the smallest of the original length, the interface's SnapLen and the room in the block.
    /// It carries no timestamp, so the record's is 0.</summary>
    private void ReadSimplePacket(uint length, out CaptureRecord record)
    {
        ReadOnlySpan<byte> block = LoadBlock(SimplePacketBlockType, length, SimplePacketMinimumLength, _recordsRead + 1);
        ref readonly PcapNgInterface description = ref GetInterface(SimplePacketBlockType, 0);
        uint originalLength = ReadUInt32(block[8..]);
        uint capturedLength = Math.Min(originalLength, length - SimplePacketMinimumLength);
        if (description.SnapLength != 0)
        {
            capturedLength = Math.Min(capturedLength, description.SnapLength);
        }
        _recordsRead++;
        _snapLength = NormalizeSnapLength(description.SnapLength);
        record = new CaptureRecord(block.Slice(12, (int)capturedLength), ClampToInt(originalLength), 0, description.LinkType, 0, _recordsRead);
        _start += (int)length;
    }

    private ref readonly PcapNgInterface GetInterface(uint type, uint interfaceId)
    {
        if (interfaceId >= (uint)_interfaceCount)
        {
            FailUnknownInterface(type, interfaceId);
        }
        return ref _interfaces[interfaceId];
    }

    /// <summary>Skips a block of a type this reader does not use, without buffering its body (it may be large),
    /// and still checks its trailing length.</summary>
    private void SkipBlock(uint type, uint length)
    {
        long offset = Position;
        CheckBlockLength(type, length, MinimumBlockLength, offset, 0);
        long remaining = length - 4L;
        while (remaining > 0)
        {
            if (_end == _start && !Fill(1))
            {
                FailTruncatedBlock(type, offset, length, length - 4 - remaining, 0);
            }
            int take = (int)Math.Min(_end - _start, remaining);
            _start += take;
            remaining -= take;
        }
        if (!Ensure(4))
        {
            FailTruncatedBlock(type, offset, length, length - 4 + (_end - _start), 0);
        }
        uint trailing = ReadUInt32(_buffer.AsSpan(_start, 4));
        if (trailing != length)
        {
            FailTrailingLength(type, offset, length, trailing, 0);
        }
        _start += 4;
        _skippedBlocks++;
    }

    /// <summary>Checks a block's length fields and buffers the whole block at <c>_start</c>.</summary>
    private ReadOnlySpan<byte> LoadBlock(uint type, uint length, int minimumLength, long recordNumber)
    {
        long offset = Position;
        CheckBlockLength(type, length, minimumLength, offset, recordNumber);
        if (!Ensure((int)length))
        {
            FailTruncatedBlock(type, offset, length, RemainingBytes(), recordNumber);
        }
        ReadOnlySpan<byte> block = _buffer.AsSpan(_start, (int)length);
        uint trailing = ReadUInt32(block[^4..]);
        if (trailing != length)
        {
            FailTrailingLength(type, offset, length, trailing, recordNumber);
        }
        return block;
    }

    private void CheckBlockLength(uint type, uint length, int minimumLength, long offset, long recordNumber)
    {
        if (length < (uint)minimumLength)
        {
            Fail($"pcapng {BlockName(type)}{RecordSuffix(recordNumber)} at byte offset {offset}: block length {length} is less than the {minimumLength}-byte minimum", offset, recordNumber);
        }
        if ((length & 3) != 0)
        {
            Fail($"pcapng {BlockName(type)}{RecordSuffix(recordNumber)} at byte offset {offset}: block length {length} is not a multiple of 4", offset, recordNumber);
        }
        if (length > MaxBlockLength)
        {
            Fail($"pcapng {BlockName(type)}{RecordSuffix(recordNumber)} at byte offset {offset}: block length {length} exceeds the {MaxBlockLength}-byte limit; the file is damaged", offset, recordNumber);
        }
    }

    private static int NormalizeSnapLength(uint snapLength) =>
        snapLength == 0 || snapLength > MaxSnapLength ? DefaultSnapLength : (int)snapLength;
}
