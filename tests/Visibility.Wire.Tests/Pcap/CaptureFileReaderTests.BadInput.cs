using System.Text;
using Visibility.Wire.Pcap;
using static Visibility.Wire.Tests.Pcap.CaptureBytes;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Damaged and foreign input: the whole records before the damage come out, then exactly one
/// <see cref="CaptureFileException"/> with a one-line message naming the place.</summary>
public sealed partial class CaptureFileReaderTests
{
    // Offsets used below: pcap file header 0-23, a record with 4 data bytes 24-43, the next record at 44.
    // pcapng: SHB 0-27, IDB (no options) 28-47, EPB with 4 data bytes 48-83, the next block at 84.
    private static readonly byte[] s_data4 = [0xDE, 0xAD, 0xBE, 0xEF];

    public static TheoryData<string, byte[], int, string, long, long> DamagedFiles() => new()
    {
        { "empty", [], 0, "capture file is empty", 0, 0 },
        { "three bytes", [0xD4, 0xC3, 0xB2], 0, "not a capture file: only 3 bytes long", 0, 0 },
        {
            "text file", Encoding.ASCII.GetBytes("Hello, this is not a capture file.\nSecond line\n"), 0,
            "not a capture file: it starts with text \"Hello, this is not a cap\"", 0, 0
        },
        {
            "bad magic",
            [
                0x00, 0x11, 0x22, 0x33, 0x02, 0x00, 0x04, 0x00, // 0: unknown magic, version 2.4
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 8: thiszone, sigfigs
                0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // 16: snaplen 65535, Ethernet
            ],
            0, "not a capture file: unknown magic number 00112233 at byte offset 0", 0, 0
        },
        { "gzip", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00], 0, "compressed capture file (gzip): decompress it first", 0, 0 },
        {
            "modified pcap", PcapHeader(magic: 0xA1B2CD34), 0,
            "unsupported capture format: modified (Kuznetzov) pcap; convert it with editcap -F pcap", 0, 0
        },
        { "pcap header cut", PcapHeader()[..20], 0, "capture file ends inside the pcap file header (20 of 24 bytes)", 0, 0 },
        { "pcap version 1", PcapHeader(versionMajor: 1), 0, "unsupported pcap version 1.4 in the file header (only 2.x is defined)", 0, 0 },
        {
            "pcap record claims 4 GB",
            Concat(
                PcapHeader(),
                PcapRecord(1, 0, s_data4),
                [
                    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 44: ts 2.000000
                    0xFF, 0xFF, 0xFF, 0xFF, 0x40, 0x00, 0x00, 0x00, // 52: captured 4294967295, original 64
                ]),
            1, "record 2 at byte offset 44 claims 4294967295 captured bytes, more than the 262144 this file allows; the file is damaged", 44, 2
        },
        {
            "pcap record header cut", Concat(PcapHeader(), PcapRecord(1, 0, s_data4), new byte[10]), 1,
            "capture file ends inside the header of record 2 at byte offset 44 (10 of 16 bytes present)", 44, 2
        },
        {
            "pcap record body cut", Concat(PcapHeader(), PcapRecord(1, 0, s_data4), PcapRecord(2, 0, Payload(100))[..66]), 1,
            "capture file ends inside record 2 at byte offset 44 (66 of 116 bytes present)", 44, 2
        },
        {
            "pcapng byte-order magic", SectionHeader(byteOrderMagic: 0x11223344), 0,
            "pcapng section header block at byte offset 0 has an unknown byte-order magic 0x11223344", 0, 0
        },
        {
            "pcapng version 2", SectionHeader(versionMajor: 2), 0,
            "pcapng section header block at byte offset 0 has unsupported version 2.0 (only 1.x is defined)", 0, 0
        },
        {
            "pcapng section header cut", SectionHeader()[..10], 0,
            "capture file ends inside the pcapng section header block at byte offset 0 (10 of at least 28 bytes)", 0, 0
        },
        {
            "pcapng section header length not a multiple of 4", Concat(SectionHeader(), SectionHeader()[..4], [30, 0, 0, 0], SectionHeader()[8..]), 0,
            "pcapng section header block at byte offset 28: block length 30 is not a multiple of 4", 28, 0
        },
        {
            "pcapng trailing length disagrees",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), EnhancedPacket(0, 2, s_data4, trailingLength: 99)), 1,
            "pcapng enhanced packet block of record 2 at byte offset 84: trailing block length 99 disagrees with the leading 36", 84, 2
        },
        {
            "pcapng block length below 12",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), Block(0x99, [], leadingLength: 8)), 1,
            "pcapng block of type 0x00000099 at byte offset 84: block length 8 is less than the 12-byte minimum", 84, 0
        },
        {
            "pcapng EPB length below its minimum",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), EnhancedPacket(0, 2, s_data4, leadingLength: 28)), 1,
            "pcapng enhanced packet block of record 2 at byte offset 84: block length 28 is less than the 32-byte minimum", 84, 2
        },
        {
            "pcapng block length not a multiple of 4",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), EnhancedPacket(0, 2, s_data4, leadingLength: 38)), 1,
            "pcapng enhanced packet block of record 2 at byte offset 84: block length 38 is not a multiple of 4", 84, 2
        },
        {
            "pcapng block claims 4 GB",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), EnhancedPacket(0, 2, s_data4, leadingLength: 0xFFFFFFFC)), 1,
            "pcapng enhanced packet block of record 2 at byte offset 84: block length 4294967292 exceeds the 135266304-byte limit; the file is damaged", 84, 2
        },
        {
            "pcapng EPB captured length exceeds its block",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), EnhancedPacket(0, 2, s_data4, capturedLength: 100)), 1,
            "pcapng enhanced packet block of record 2 at byte offset 84: captured length 100 exceeds the 4 bytes its block holds", 84, 2
        },
        {
            "pcapng EPB claims 4 GB",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), EnhancedPacket(0, 2, s_data4, capturedLength: 0xFFFFFFFF)), 1,
            "pcapng enhanced packet block of record 2 at byte offset 84: captured length 4294967295 exceeds the 4 bytes its block holds", 84, 2
        },
        {
            "pcapng EPB before any IDB", Concat(SectionHeader(), EnhancedPacket(0, 1, s_data4)), 0,
            "pcapng enhanced packet block of record 1 at byte offset 28 comes before any interface description block in its section", 28, 1
        },
        {
            "pcapng SPB before any IDB", Concat(SectionHeader(), SimplePacket(4, s_data4)), 0,
            "pcapng simple packet block of record 1 at byte offset 28 comes before any interface description block in its section", 28, 1
        },
        {
            "pcapng EPB names unknown interface", Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(3, 1, s_data4)), 0,
            "pcapng enhanced packet block of record 1 at byte offset 48 names interface 3, but its section describes only 1", 48, 1
        },
        {
            "pcapng packet block names unknown interface", Concat(SectionHeader(), InterfaceDescription(1), ObsoletePacket(2, 1, s_data4)), 0,
            "pcapng packet block of record 1 at byte offset 48 names interface 2, but its section describes only 1", 48, 1
        },
        {
            "pcapng new section forgets the interfaces",
            Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4), SectionHeader(), EnhancedPacket(0, 2, s_data4)), 1,
            "pcapng enhanced packet block of record 2 at byte offset 112 comes before any interface description block in its section", 112, 2
        },
        {
            "pcapng EPB cut", Concat(SectionHeader(), InterfaceDescription(1), EnhancedPacket(0, 1, s_data4)[..20]), 0,
            "capture file ends inside the pcapng enhanced packet block of record 1 at byte offset 48 (20 of 36 bytes present)", 48, 1
        },
        {
            "pcapng IDB cut", Concat(SectionHeader(), InterfaceDescription(1)[..12]), 0,
            "capture file ends inside the pcapng interface description block at byte offset 28 (12 of 20 bytes present)", 28, 0
        },
        {
            "pcapng block header cut", Concat(SectionHeader(), InterfaceDescription(1), new byte[5]), 0,
            "capture file ends inside a pcapng block header at byte offset 48 (5 of 8 bytes present)", 48, 0
        },
        {
            "pcapng skipped block trailing length disagrees", Concat(SectionHeader(), InterfaceDescription(1), Block(0x99, new byte[8], trailingLength: 24)), 0,
            "pcapng block of type 0x00000099 at byte offset 48: trailing block length 24 disagrees with the leading 20", 48, 0
        },
        {
            "pcapng skipped block cut in its body", Concat(SectionHeader(), InterfaceDescription(1), Block(0x99, new byte[8])[..14]), 0,
            "capture file ends inside the pcapng block of type 0x00000099 at byte offset 48 (14 of 20 bytes present)", 48, 0
        },
        {
            "pcapng skipped block cut in its trailer", Concat(SectionHeader(), InterfaceDescription(1), Block(0x99, new byte[8])[..18]), 0,
            "capture file ends inside the pcapng block of type 0x00000099 at byte offset 48 (18 of 20 bytes present)", 48, 0
        },
    };

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void TryReadNext_DamagedFile_ReturnsGoodRecordsThenThrowsOneLine(string name, byte[] file, int goodRecords, string message, long byteOffset, long recordNumber)
    {
        foreach (int? bufferLength in new int?[] { null, 16 })
        {
            (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file, bufferLength);
            Assert.True(error is not null, name);
            Assert.IsType<CaptureFileException>(error, exactMatch: true);
            Assert.Equal(goodRecords, records.Count);
            Assert.Equal(message, error.Message);
            Assert.DoesNotContain('\n', error.Message);
            Assert.DoesNotContain('\r', error.Message);
            Assert.Equal(byteOffset, error.ByteOffset);
            Assert.Equal(recordNumber, error.RecordNumber);
        }
    }

    [Fact]
    public void TryReadNext_AfterError_ThrowsTheSameErrorAgain()
    {
        byte[] file = Concat(PcapHeader(), PcapRecord(1, 0, s_data4), new byte[10]);
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file));
        Assert.True(reader.TryReadNext(out _));
        var first = Assert.Throws<CaptureFileException>(() => reader.TryReadNext(out _));
        var second = Assert.Throws<CaptureFileException>(() => reader.TryReadNext(out _));
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(1, reader.RecordsRead);
    }

    [Fact]
    public void TryReadNext_PcapRecordAboveSnapLengthFloor_Throws()
    {
        // snaplen 100: records may still reach 262144 bytes (libpcap's MAXIMUM_SNAPLEN), not one byte more.
        byte[] file = Concat(PcapHeader(snapLength: 100), PcapRecord(1, 0, Payload(262144)), PcapRecord(2, 0, Payload(262145)));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Single(records);
        Assert.NotNull(error);
        Assert.Equal("record 2 at byte offset 262184 claims 262145 captured bytes, more than the 262144 this file allows; the file is damaged", error.Message);
    }

    [Fact]
    public void TryReadNext_PcapRecordUpToLargeSnapLength_IsRead()
    {
        // A file whose snaplen exceeds 262144 may hold records that large (USB, D-Bus captures).
        byte[] file = Concat(PcapHeader(snapLength: 300_000), PcapRecord(1, 0, Payload(300_000)), PcapRecord(2, 0, Payload(300_001)));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Single(records);
        Assert.Equal(300_000, records[0].Data.Length);
        Assert.NotNull(error);
        Assert.Contains("claims 300001 captured bytes, more than the 300000 this file allows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadNext_PcapNgEnhancedPacketAboveSnapLengthFloor_Throws()
    {
        byte[] file = Concat(SectionHeader(), InterfaceDescription(1, snapLength: 1500), EnhancedPacket(0, 1, Payload(262145)));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Empty(records);
        Assert.NotNull(error);
        Assert.Equal("record 1 at byte offset 48 claims 262145 captured bytes, more than the 262144 this file allows; the file is damaged", error.Message);
    }
}
