using Visibility.Wire.Pcap;
using static Visibility.Wire.Tests.Pcap.CaptureBytes;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>The record loop allocates nothing: a second pass over a file, measured after the first record,
/// leaves <see cref="GC.GetAllocatedBytesForCurrentThread"/> where it was.</summary>
public sealed partial class CaptureFileReaderTests
{
    public static TheoryData<string> AllocationFiles() => ["synthetic pcap", "synthetic pcapng", "synthetic__mergecap-sll-ethernet.pcapng", "synthetic__pcapng-sections-interfaces.pcapng"];

    [Theory]
    [MemberData(nameof(AllocationFiles))]
    public void TryReadNext_SecondPass_AllocatesNothingPerRecord(string name)
    {
        byte[] file = name switch
        {
            "synthetic pcap" => SyntheticPcap(20_000),
            "synthetic pcapng" => SyntheticPcapNg(20_000),
            _ => CaptureTestFiles.ReadCapture(name),
        };
        long firstPass = CountRecords(file, out _);
        long secondPass = CountRecords(file, out long allocated);
        Assert.Equal(firstPass, secondPass);
        Assert.True(secondPass > 1);
        Assert.Equal(0, allocated);
    }

    /// <summary>Reads the whole file with a small buffer (so it refills many times) and returns the bytes
    /// allocated between the first record and the end.</summary>
    private static long CountRecords(byte[] file, out long allocated)
    {
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file, writable: false), bufferLength: 4096);
        long bytes = 0;
        Assert.True(reader.TryReadNext(out CaptureRecord first));
        bytes += first.Data.Length;
        long before = GC.GetAllocatedBytesForCurrentThread();
        while (reader.TryReadNext(out CaptureRecord record))
        {
            bytes += record.Data.Length + (record.TimestampNanoseconds & 1) + (int)record.LinkType;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(bytes > 0);
        return reader.RecordsRead;
    }

    private static byte[] SyntheticPcap(int count)
    {
        var stream = new MemoryStream();
        using (var writer = new PcapFileWriter(stream, LinkType.Ethernet))
        {
            byte[] data = Payload(1514);
            for (int i = 0; i < count; i++)
            {
                writer.WritePacket(data.AsSpan(0, 60 + (i % 1400)), 1_700_000_000_000_000_000 + (i * 1000L), 1514);
            }
        }
        return stream.ToArray();
    }

    private static byte[] SyntheticPcapNg(int count)
    {
        var stream = new MemoryStream();
        stream.Write(SectionHeader());
        stream.Write(InterfaceDescription(1));
        stream.Write(InterfaceDescription(101, options: Concat(Option(9, [9]), EndOfOptions())));
        for (int i = 0; i < count; i++)
        {
            stream.Write(EnhancedPacket((uint)(i % 2), (ulong)i * 1000, Payload(60 + (i % 300))));
            if (i % 1000 == 0)
            {
                stream.Write(Block(InterfaceStatisticsType, new byte[12]));
            }
        }
        return stream.ToArray();
    }
}
