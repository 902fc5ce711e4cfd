using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Benchmarks;

/// <summary>Reading an in-memory capture of 100 000 records, per record: classic pcap made by
/// <see cref="PcapFileWriter"/> and the same packets as pcapng Enhanced Packet Blocks.</summary>
/// <remarks>Packet sizes follow the simple IMIX (7 x 64, 4 x 576, 1 x 1500 bytes). The only allocations are
/// the reader and its 1 MiB buffer, once per file. Not sealed: BenchmarkDotNet derives from it.</remarks>
[MemoryDiagnoser]
public class CaptureFileReaderBenchmarks
{
    private const int RecordCount = 100_000;
    private static readonly int[] s_imix = [64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1500];

    private byte[] _pcap = [];
    private byte[] _pcapNg = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] payload = new byte[1500];
        new Random(42).NextBytes(payload);
        var pcap = new MemoryStream();
        using (var writer = new PcapFileWriter(pcap, LinkType.Ethernet, nanosecond: false, leaveOpen: true))
        {
            for (int i = 0; i < RecordCount; i++)
            {
                writer.WritePacket(payload.AsSpan(0, s_imix[i % s_imix.Length]), 1_700_000_000_000_000_000 + (i * 10_000L), s_imix[i % s_imix.Length]);
            }
        }
        _pcap = pcap.ToArray();

        var pcapNg = new MemoryStream();
        Span<byte> header = stackalloc byte[28];
        // Section Header Block (28 bytes): type, length, byte-order magic, version 1.0, section length -1.
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x0A0D0D0A);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 28);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], -1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], 28);
        pcapNg.Write(header);
        // Interface Description Block (20 bytes): Ethernet, snaplen 262144, no options.
        BinaryPrimitives.WriteUInt32LittleEndian(header, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 20);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 20);
        pcapNg.Write(header[..20]);
        for (int i = 0; i < RecordCount; i++)
        {
            // Enhanced Packet Block: 28-byte header, data padded to 4, 4-byte trailing length.
            int length = s_imix[i % s_imix.Length];
            int blockLength = 32 + ((length + 3) & ~3);
            ulong timestamp = 1_700_000_000_000_000UL + ((ulong)i * 10);
            BinaryPrimitives.WriteUInt32LittleEndian(header, 6);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], blockLength);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)(timestamp >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)timestamp);
            BinaryPrimitives.WriteInt32LittleEndian(header[20..], length);
            BinaryPrimitives.WriteInt32LittleEndian(header[24..], length);
            pcapNg.Write(header);
            pcapNg.Write(payload.AsSpan(0, length));
            pcapNg.Write(new byte[blockLength - 32 - length]);
            pcapNg.Write(BitConverter.GetBytes(blockLength));
        }
        _pcapNg = pcapNg.ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RecordCount)]
    public long ReadPcap() => ReadAll(_pcap);

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long ReadPcapNg() => ReadAll(_pcapNg);

    private static long ReadAll(byte[] file)
    {
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(file, writable: false));
        long bytes = 0;
        while (reader.TryReadNext(out CaptureRecord record))
        {
            bytes += record.Data.Length;
        }
        return bytes;
    }
}
