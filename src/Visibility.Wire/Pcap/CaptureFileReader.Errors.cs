using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Visibility.Wire.Pcap;

/// <remarks>Error paths, kept out of the record loop. Every message is one line naming what is wrong and where.</remarks>
public sealed partial class CaptureFileReader
{
    /// <summary>Records the error so later calls repeat it, then throws it.</summary>
    [DoesNotReturn]
    private void Fail(string message, long byteOffset, long recordNumber)
    {
        _faultMessage = message;
        _faultOffset = byteOffset;
        _faultRecord = recordNumber;
        throw new CaptureFileException(message, byteOffset, recordNumber);
    }

    [DoesNotReturn]
    private void FailTruncated(string what, long recordNumber, int needed) =>
        Fail($"capture file ends inside {what} {recordNumber} at byte offset {Position} ({RemainingBytes()} of {needed} bytes present)", Position, recordNumber);

    [DoesNotReturn]
    private void FailRecordTooLarge(uint capturedLength, uint limit) =>
        Fail($"record {_recordsRead + 1} at byte offset {Position} claims {capturedLength} captured bytes, more than the {limit} this file allows; the file is damaged", Position, _recordsRead + 1);

    [DoesNotReturn]
    private void FailTruncatedBlockHeader() =>
        Fail($"capture file ends inside a pcapng block header at byte offset {Position} ({RemainingBytes()} of 8 bytes present)", Position, 0);

    [DoesNotReturn]
    private void FailTruncatedBlock(uint type, long offset, uint length, long present, long recordNumber) =>
        Fail($"capture file ends inside the pcapng {BlockName(type)}{RecordSuffix(recordNumber)} at byte offset {offset} ({present} of {length} bytes present)", offset, recordNumber);

    [DoesNotReturn]
    private void FailTrailingLength(uint type, long offset, uint length, uint trailing, long recordNumber) =>
        Fail($"pcapng {BlockName(type)}{RecordSuffix(recordNumber)} at byte offset {offset}: trailing block length {trailing} disagrees with the leading {length}", offset, recordNumber);

    [DoesNotReturn]
    private void FailUnknownInterface(uint type, uint interfaceId)
    {
        long recordNumber = _recordsRead + 1;
        string where = $"pcapng {BlockName(type)} of record {recordNumber} at byte offset {Position}";
        if (_interfaceCount == 0)
        {
            Fail($"{where} comes before any interface description block in its section", Position, recordNumber);
        }
        Fail($"{where} names interface {interfaceId}, but its section describes only {_interfaceCount}", Position, recordNumber);
    }

    [DoesNotReturn]
    private void FailBadMagic()
    {
        Ensure(32);
        ReadOnlySpan<byte> head = _buffer.AsSpan(_start, Math.Min(_end - _start, 32));
        if (head[0] == 0x1F && head[1] == 0x8B)
        {
            Fail("compressed capture file (gzip): decompress it first", 0, 0);
        }
        if (LooksLikeText(head))
        {
            Fail($"not a capture file: it starts with text \"{PrintableText(head)}\"", 0, 0);
        }
        Fail($"not a capture file: unknown magic number {Convert.ToHexStringLower(head[..4])} at byte offset 0", 0, 0);
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        foreach (byte b in head)
        {
            bool printable = b is >= 0x20 and < 0x7F or (byte)'\t' or (byte)'\r' or (byte)'\n';
            if (!printable)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The text up to the first line break, at most 24 characters, for a one-line message.</summary>
    private static string PrintableText(ReadOnlySpan<byte> head)
    {
        var text = new StringBuilder(24);
        foreach (byte b in head)
        {
            if (b is (byte)'\r' or (byte)'\n' || text.Length == 24)
            {
                break;
            }
            text.Append(b == (byte)'\t' ? ' ' : (char)b);
        }
        return text.ToString();
    }

    private static string RecordSuffix(long recordNumber) => recordNumber == 0 ? string.Empty : $" of record {recordNumber}";

    private static string BlockName(uint type) => type switch
    {
        SectionHeaderBlockType => "section header block",
        InterfaceDescriptionBlockType => "interface description block",
        PacketBlockType => "packet block",
        SimplePacketBlockType => "simple packet block",
        EnhancedPacketBlockType => "enhanced packet block",
        _ => $"block of type 0x{type:x8}",
    };
}
