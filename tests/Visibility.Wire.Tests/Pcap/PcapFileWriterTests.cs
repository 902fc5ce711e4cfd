using FsCheck;
using FsCheck.Xunit;
using Visibility.Wire.Pcap;
using static Visibility.Wire.Tests.Pcap.CaptureBytes;

namespace Visibility.Wire.Tests.Pcap;

public sealed class PcapFileWriterTests
{
    [Fact]
    public void WritePacket_OnePacket_WritesLibpcapLayout()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapFileWriter(stream, LinkType.Raw, snapLength: 1500))
        {
            writer.WritePacket([0x45, 0x00, 0x00, 0x14], 1_700_000_000_123_456_789, 20);
        }
        byte[] expected =
        [
            0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x04, 0x00, // 0: magic a1b2c3d4 (LE), version 2.4
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 8: thiszone 0, sigfigs 0
            0xDC, 0x05, 0x00, 0x00, 0x65, 0x00, 0x00, 0x00, // 16: snaplen 1500, LINKTYPE_RAW (101)
            0x00, 0xF1, 0x53, 0x65, 0x40, 0xE2, 0x01, 0x00, // 24: ts 1700000000 s, 123456 µs (ns truncated)
            0x04, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, // 32: captured 4, original 20
            0x45, 0x00, 0x00, 0x14,                         // 40: data
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void WritePacket_Nanosecond_WritesNanosecondMagicAndFraction()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapFileWriter(stream, LinkType.Ethernet, nanosecond: true))
        {
            writer.WritePacket([1, 2], 5_000_000_007, 2);
        }
        byte[] file = stream.ToArray();
        Assert.Equal([0x4D, 0x3C, 0xB2, 0xA1], file[..4]);
        Assert.Equal([0x00, 0x00, 0x04, 0x00], file[16..20]); // default snaplen 262144
        Assert.Equal([0x05, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00], file[24..32]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reader_WriterOutput_RoundTrips(bool nanosecond)
    {
        var packets = new List<ReadRecord>();
        for (int i = 0; i < 300; i++)
        {
            long timestamp = 1_600_000_000_000_000_000 + (i * 3_333_333_333L);
            if (!nanosecond)
            {
                timestamp -= timestamp % 1000;
            }
            packets.Add(new ReadRecord(i + 1, timestamp, 1514 + i, 0, LinkType.LinuxSll2, Payload(i * 7 % 1514, i)));
        }
        // One packet larger than the writer's 64 KiB buffer.
        packets.Add(new ReadRecord(301, 1_700_000_000_000_000_000, 200_000, 0, LinkType.LinuxSll2, Payload(200_000, 9)));

        Assert.Equal(packets, RoundTrip(packets, LinkType.LinuxSll2, nanosecond, out CaptureFormat format));
        Assert.Equal(nanosecond ? CaptureFormat.PcapNanosecond : CaptureFormat.Pcap, format);
    }

    [Property(MaxTest = 200)]
    public void Reader_WriterOutput_RoundTripsAnyPackets(byte[][] datas, uint[] seconds, bool nanosecond)
    {
        var packets = new List<ReadRecord>();
        for (int i = 0; i < (datas ?? []).Length; i++)
        {
            byte[] data = datas![i] ?? [];
            long fraction = (i * 987_654_321L) % 1_000_000_000;
            long timestamp = ((seconds is { Length: > 0 } ? seconds[i % seconds.Length] : 0u) * 1_000_000_000L) + (nanosecond ? fraction : fraction - (fraction % 1000));
            packets.Add(new ReadRecord(i + 1, timestamp, data.Length + (i % 3), 0, LinkType.Ethernet, data));
        }
        Assert.Equal(packets, RoundTrip(packets, LinkType.Ethernet, nanosecond, out _));
    }

    [Fact]
    public void WritePacket_LongerThanSnapLength_IsCutKeepingOriginalLength()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapFileWriter(stream, LinkType.Ethernet, snapLength: 64))
        {
            writer.WritePacket(Payload(100), 0, 1500);
        }
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(stream.ToArray());
        Assert.Null(error);
        ReadRecord record = Assert.Single(records);
        Assert.Equal(Payload(100)[..64], record.Data);
        Assert.Equal(1500, record.OriginalLength);
    }

    [Fact]
    public void WritePacket_InvalidArguments_Throw()
    {
        using var writer = new PcapFileWriter(new MemoryStream(), LinkType.Ethernet);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WritePacket(new byte[10], 0, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WritePacket(new byte[10], -1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WritePacket(new byte[10], (uint.MaxValue + 1L) * 1_000_000_000, 10));
        Assert.Equal(0, writer.PacketsWritten);
    }

    [Fact]
    public void WritePacket_ManyPackets_AllocatesNothing()
    {
        using var writer = new PcapFileWriter(Stream.Null, LinkType.Ethernet);
        byte[] data = Payload(1514);
        writer.WritePacket(data, 0, data.Length);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            writer.WritePacket(data.AsSpan(0, 60 + (i % 1400)), i * 1_000L, 1514);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10_001, writer.PacketsWritten);
    }

    [Fact]
    public void Flush_BeforeDispose_PutsEverythingOnTheStream()
    {
        var stream = new MemoryStream();
        using var writer = new PcapFileWriter(stream, LinkType.Ethernet, leaveOpen: true);
        writer.WritePacket(Payload(10), 0, 10);
        Assert.Equal(0, stream.Length);
        writer.Flush();
        Assert.Equal(24 + 16 + 10, stream.Length);
    }

    [Fact]
    public void Dispose_LeaveOpen_KeepsTheStreamUsable()
    {
        var stream = new MemoryStream();
        new PcapFileWriter(stream, LinkType.Ethernet, leaveOpen: true).Dispose();
        Assert.True(stream.CanWrite);
        Assert.Equal(24, stream.Length);
        var owned = new MemoryStream();
        new PcapFileWriter(owned, LinkType.Ethernet).Dispose();
        Assert.False(owned.CanWrite);
    }

    private static List<ReadRecord> RoundTrip(List<ReadRecord> packets, LinkType linkType, bool nanosecond, out CaptureFormat format)
    {
        var stream = new MemoryStream();
        using (var writer = new PcapFileWriter(stream, linkType, nanosecond))
        {
            foreach (ReadRecord packet in packets)
            {
                writer.WritePacket(packet.Data, packet.TimestampNanoseconds, packet.OriginalLength);
            }
            Assert.Equal(packets.Count, writer.PacketsWritten);
        }
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(stream.ToArray()));
        format = reader.Format;
        var records = new List<ReadRecord>();
        while (reader.TryReadNext(out CaptureRecord record))
        {
            records.Add(ReadRecord.From(record));
        }
        return records;
    }
}
