using System.Buffers.Binary;
using Visibility.Wire.Pcap;
using static Visibility.Wire.Tests.Pcap.CaptureBytes;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Behaviour of <see cref="CaptureFileReader"/> on well-formed input, one rule per test.</summary>
public sealed partial class CaptureFileReaderTests
{
    [Fact]
    public void Open_PcapHeaderOnly_EndsCleanlyWithNoRecords()
    {
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(PcapHeader()));
        Assert.Equal(CaptureFormat.Pcap, reader.Format);
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(0, reader.RecordsRead);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void TryReadNext_PcapEitherByteOrderAndResolution_ReadsFields(bool bigEndian, bool nanosecond)
    {
        byte[] data = Payload(60, 7);
        byte[] file = Concat(
            PcapHeader(snapLength: 1500, linkType: 101, magic: nanosecond ? PcapNanosecondMagic : PcapMagic, bigEndian: bigEndian),
            PcapRecord(1_700_000_000, 123_456, data, originalLength: 1400, bigEndian: bigEndian));
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file));
        Assert.Equal(nanosecond ? CaptureFormat.PcapNanosecond : CaptureFormat.Pcap, reader.Format);
        Assert.Equal(1500, reader.SnapLength);
        Assert.True(reader.TryReadNext(out CaptureRecord record));
        Assert.Equal(1_700_000_000_000_000_000 + (nanosecond ? 123_456 : 123_456_000), record.TimestampNanoseconds);
        Assert.Equal(1400, record.OriginalLength);
        Assert.Equal(data, record.Data.ToArray());
        Assert.Equal(LinkType.Raw, record.LinkType);
        Assert.Equal(0, record.InterfaceId);
        Assert.Equal(1, record.FrameNumber);
        Assert.True(record.IsTruncated);
        Assert.False(reader.TryReadNext(out _));
    }

    [Fact]
    public void SnapLength_ZeroInPcapHeader_ReadsAs262144()
    {
        // libpcap replaces a snaplen of 0 by its maximum; records up to that size are accepted.
        byte[] file = Concat(PcapHeader(snapLength: 0), PcapRecord(1, 0, Payload(262144)), PcapRecord(2, 0, Payload(262145)));
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file));
        Assert.Equal(262144, reader.SnapLength);
        Assert.True(reader.TryReadNext(out CaptureRecord record));
        Assert.Equal(262144, record.Data.Length);
        var error = Assert.Throws<CaptureFileException>(() => reader.TryReadNext(out _));
        Assert.Contains("claims 262145 captured bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadNext_CapturedLongerThanOriginal_IsReturnedAsIs()
    {
        // libpcap and Wireshark keep both lengths as written (tshark: frame.len 30, frame.cap_len 60).
        byte[] file = Concat(PcapHeader(), PcapRecord(10, 20, Payload(60), originalLength: 30));
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file));
        Assert.True(reader.TryReadNext(out CaptureRecord record));
        Assert.Equal(60, record.Data.Length);
        Assert.Equal(30, record.OriginalLength);
        Assert.False(record.IsTruncated);
    }

    [Fact]
    public void LinkType_PcapHeaderUpperBits_AreMasked()
    {
        byte[] file = Concat(PcapHeader(linkType: 0x40000001), PcapRecord(1, 0, s_data4));
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file));
        Assert.True(reader.TryReadNext(out CaptureRecord record));
        Assert.Equal(LinkType.Ethernet, record.LinkType);
    }

    [Fact]
    [Trait("spec", "pcapng-3.1")]
    public void SkippedBlocks_UnknownAndIgnoredTypes_AreSkippedAndCounted()
    {
        byte[] file = Concat(
            SectionHeader(),
            Block(NameResolutionType, EndOfOptions()),
            InterfaceDescription(1),
            Block(0x99, Payload(9)),                         // unknown type, body padded to 12
            Block(0x00000BAD, Payload(8)),                   // custom block
            EnhancedPacket(0, 5, s_data4),
            Block(InterfaceStatisticsType, new byte[12]),
            Block(0x40000BAD, Payload(70_000)),              // custom block larger than the buffer
            EnhancedPacket(0, 6, s_data4));
        foreach (int? bufferLength in new int?[] { null, 64 })
        {
            using CaptureFileReader reader = bufferLength is int length
                ? CaptureFileReader.Open(new MemoryStream(file), length)
                : CaptureFileReader.Open(new MemoryStream(file));
            Assert.True(reader.TryReadNext(out CaptureRecord first));
            Assert.Equal(5_000, first.TimestampNanoseconds);
            Assert.Equal(3, reader.SkippedBlocks);
            Assert.True(reader.TryReadNext(out CaptureRecord second));
            Assert.Equal(6_000, second.TimestampNanoseconds);
            Assert.False(reader.TryReadNext(out _));
            Assert.Equal(5, reader.SkippedBlocks);
            Assert.Equal(2, reader.RecordsRead);
            if (bufferLength is not null)
            {
                // Skipping never buffers a block's body.
                Assert.True(reader.BufferLength < 70_000);
            }
        }
    }

    [Fact]
    [Trait("spec", "pcapng-4.2")]
    public void TryReadNext_SeveralInterfaces_StampsEachRecordWithItsLinkType()
    {
        byte[] file = Concat(
            SectionHeader(),
            InterfaceDescription(1),
            InterfaceDescription(228, options: Concat(Option(9, [9]), EndOfOptions())),
            InterfaceDescription(113),
            EnhancedPacket(1, 1_000_000_001, s_data4),
            EnhancedPacket(0, 2, s_data4),
            EnhancedPacket(2, 3, s_data4),
            EnhancedPacket(1, 4, s_data4));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Null(error);
        Assert.Equal([LinkType.IPv4, LinkType.Ethernet, LinkType.LinuxSll, LinkType.IPv4], records.Select(r => r.LinkType));
        Assert.Equal([1, 0, 2, 1], records.Select(r => r.InterfaceId));
        Assert.Equal([1_000_000_001L, 2_000, 3_000, 4], records.Select(r => r.TimestampNanoseconds));
    }

    [Fact]
    [Trait("spec", "pcapng-4.1")]
    public void TryReadNext_SecondSectionInOtherByteOrder_StartsANewInterfaceList()
    {
        byte[] file = Concat(
            SectionHeader(),
            InterfaceDescription(1),
            InterfaceDescription(101),
            EnhancedPacket(1, 1, s_data4),
            SectionHeader(bigEndian: true),
            InterfaceDescription(229, bigEndian: true),
            EnhancedPacket(0, 2, s_data4, bigEndian: true));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Null(error);
        Assert.Equal([LinkType.Raw, LinkType.IPv6], records.Select(r => r.LinkType));
        Assert.Equal([1, 0], records.Select(r => r.InterfaceId));
        Assert.Equal([1_000L, 2_000], records.Select(r => r.TimestampNanoseconds));
    }

    [Theory]
    [Trait("spec", "pcapng-4.4")]
    [InlineData(0u, 60u, 60, 60)]      // no snaplen: all 60 bytes of the block
    [InlineData(40u, 60u, 60, 40)]     // snaplen 40 cuts a block holding 60
    [InlineData(0u, 1000u, 60, 60)]    // original 1000, block room 60
    [InlineData(0u, 50u, 52, 50)]      // original 50 inside a padded 52-byte room
    [InlineData(100u, 1000u, 60, 60)]  // the smallest of the three wins
    public void TryReadNext_SimplePacket_CapturedLengthIsSmallestOfSnapOriginalAndRoom(uint snapLength, uint originalLength, int dataInBlock, int expected)
    {
        byte[] data = Payload(dataInBlock, 3);
        byte[] file = Concat(SectionHeader(), InterfaceDescription(1, snapLength), SimplePacket(originalLength, data));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Null(error);
        ReadRecord record = Assert.Single(records);
        Assert.Equal(data[..expected], record.Data);
        Assert.Equal((int)originalLength, record.OriginalLength);
        Assert.Equal(0, record.TimestampNanoseconds);
        Assert.Equal(0, record.InterfaceId);
    }

    [Fact]
    [Trait("spec", "pcapng-A")]
    public void TryReadNext_ObsoletePacketBlock_IsRead()
    {
        byte[] file = Concat(SectionHeader(), InterfaceDescription(1), InterfaceDescription(101), ObsoletePacket(1, 0x0000_0001_0000_0002, Payload(28)));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Null(error);
        ReadRecord record = Assert.Single(records);
        Assert.Equal(LinkType.Raw, record.LinkType);
        Assert.Equal(1, record.InterfaceId);
        Assert.Equal(((1L << 32) + 2) * 1_000, record.TimestampNanoseconds);
        Assert.Equal(Payload(28), record.Data);
    }

    [Fact]
    [Trait("spec", "pcapng-4.2")]
    public void TryReadNext_InterfaceOptionRunningPastItsBlock_IsIgnored()
    {
        byte[] options = Concat(Option(9, [9]), [0x0E, 0x00, 0x40, 0x00]); // if_tsoffset claiming 64 bytes
        byte[] file = Concat(SectionHeader(), InterfaceDescription(1, options: options), EnhancedPacket(0, 5, s_data4));
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.Null(error);
        Assert.Equal(5, Assert.Single(records).TimestampNanoseconds);
    }

    [Fact]
    public void TryReadNext_RecordLargerThanBuffer_GrowsOnce()
    {
        byte[] file = PcapHeader();
        for (uint i = 0; i < 10; i++)
        {
            file = Concat(file, PcapRecord(i, 0, Payload(1000, (int)i)));
        }
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file), bufferLength: 64);
        Assert.True(reader.TryReadNext(out CaptureRecord first));
        Assert.Equal(Payload(1000, 0), first.Data.ToArray());
        int grown = reader.BufferLength;
        Assert.InRange(grown, 1016, 2048);
        for (int i = 1; i < 10; i++)
        {
            Assert.True(reader.TryReadNext(out CaptureRecord record));
            Assert.Equal(Payload(1000, i), record.Data.ToArray());
        }
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(grown, reader.BufferLength);
    }

    [Fact]
    public void Open_SeekableStream_SizesBufferToTheFile()
    {
        byte[] file = Concat(PcapHeader(), PcapRecord(1, 0, Payload(500)));
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file));
        Assert.Equal(file.Length, reader.BufferLength);
    }

    [Fact]
    public void Open_TruncatedRecordClaimingMoreThanTheFile_DoesNotGrowTheBuffer()
    {
        byte[] file = Concat(PcapHeader(snapLength: 100_000_000), PcapRecord(1, 0, s_data4, capturedLength: 90_000_000));
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file));
        Assert.Throws<CaptureFileException>(() => reader.TryReadNext(out _));
        Assert.True(reader.BufferLength < 1 << 20);
    }

    [Fact]
    public void Dispose_DisposesTheStream()
    {
        var stream = new MemoryStream(PcapHeader());
        CaptureFileReader reader = CaptureFileReader.Open(stream);
        reader.Dispose();
        Assert.False(stream.CanRead);
        Assert.Throws<ObjectDisposedException>(() => reader.TryReadNext(out _));
    }

    [Fact]
    public void Open_NotACaptureFile_DisposesTheStream()
    {
        var stream = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Throws<CaptureFileException>(() => CaptureFileReader.Open(stream));
        Assert.False(stream.CanRead);
    }

    [Fact]
    public void TryReadNext_NonSeekableStream_ReadsAllRecords()
    {
        byte[] file = CaptureTestFiles.ReadCapture("synthetic__mergecap-sll-ethernet.pcapng");
        (List<ReadRecord> expected, _) = CaptureTestFiles.ReadAll(file);
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(new TrickleStream(file, maxRead: 1));
        Assert.Null(error);
        Assert.Equal(expected, records);
    }

    [Fact]
    public void TryReadNext_BigEndianPcapFromWriter_MatchesLittleEndian()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapFileWriter(stream, LinkType.Ethernet, nanosecond: true))
        {
            for (int i = 0; i < 50; i++)
            {
                writer.WritePacket(Payload(40 + i, i), 1_600_000_000_000_000_000 + (i * 1_234_567L), 1500);
            }
        }
        byte[] littleEndian = stream.ToArray();
        byte[] bigEndian = SwapPcapByteOrder(littleEndian);
        Assert.Equal(0xA1B23C4D, BinaryPrimitives.ReadUInt32BigEndian(bigEndian));
        (List<ReadRecord> expected, CaptureFileException? error1) = CaptureTestFiles.ReadAll(littleEndian);
        (List<ReadRecord> records, CaptureFileException? error2) = CaptureTestFiles.ReadAll(bigEndian);
        Assert.Null(error1);
        Assert.Null(error2);
        Assert.Equal(50, records.Count);
        Assert.Equal(expected, records);
    }
}
