using FsCheck;
using FsCheck.Xunit;
using Visibility.Wire.Pcap;
using static Visibility.Wire.Tests.Pcap.CaptureBytes;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Properties: whatever the bytes, the reader fails only with <see cref="CaptureFileException"/>, and
/// always terminates.</summary>
public sealed partial class CaptureFileReaderTests
{
    private static readonly Lazy<byte[][]> s_seedCaptures = new(() =>
    [
        CaptureTestFiles.ReadCapture("tcpdump__tests__tcp-handshake-nano.pcap"),
        CaptureTestFiles.ReadCapture("tcpdump__tests__ikev2pI2-segfault.pcapng"),
        CaptureTestFiles.ReadCapture("synthetic__pcapng-sections-interfaces.pcapng"),
        CaptureTestFiles.ReadCapture("synthetic__mergecap-sll-ethernet.pcapng"),
        CaptureTestFiles.ReadCapture("synthetic__big-endian-tcp-handshake-nano.pcap"),
        CaptureTestFiles.ReadCapture("tcpdump__tests__isakmp-rfc3948-oobr.pcap"),
    ]);

    // Valid file openings followed by random bytes, so the random part reaches the record and block parsers.
    private static readonly byte[][] s_openings =
    [
        [],
        PcapHeader(),
        PcapHeader(snapLength: 0, magic: PcapNanosecondMagic, bigEndian: true),
        SectionHeader(),
        Concat(SectionHeader(bigEndian: true), InterfaceDescription(1, bigEndian: true)),
        Concat(SectionHeader(), InterfaceDescription(1), InterfaceDescription(101, 64)),
    ];

    [Property(MaxTest = 2000)]
    public void TryReadNext_RandomBytes_ThrowsOnlyCaptureFileException(byte opening, byte[] tail)
    {
        byte[] file = Concat(s_openings[opening % s_openings.Length], tail ?? []);
        AssertReadsOrThrowsCaptureFileException(file);
    }

    [Property(MaxTest = 2000)]
    public void TryReadNext_MutatedCapture_ThrowsOnlyCaptureFileException(byte seed, (ushort Position, byte Value)[] mutations, ushort cut)
    {
        byte[] original = s_seedCaptures.Value[seed % s_seedCaptures.Value.Length];
        byte[] file = (byte[])original.Clone();
        foreach ((ushort position, byte value) in mutations ?? [])
        {
            file[position % file.Length] = value;
        }
        if (cut % 4 == 0)
        {
            file = file[..(cut % (file.Length + 1))];
        }
        AssertReadsOrThrowsCaptureFileException(file);
    }

    [Property(MaxTest = 300)]
    public void TryReadNext_MutatedLengthFields_ThrowsOnlyCaptureFileException(byte seed, uint value, byte field)
    {
        // Length fields are where damage hurts; put arbitrary values into them on purpose.
        byte[] original = s_seedCaptures.Value[seed % s_seedCaptures.Value.Length];
        List<(int End, bool IsPacket)> boundaries = CaptureLayout.Boundaries(original);
        int unit = field % boundaries.Count;
        int start = unit == 0 ? 0 : boundaries[unit - 1].End;
        bool pcapng = original[0] == 0x0A;
        int at = pcapng ? start + (field % 2 == 0 ? 4 : boundaries[unit].End - start - 4) : start + (unit == 0 ? 16 : 8);
        byte[] file = (byte[])original.Clone();
        if (at + 4 <= file.Length)
        {
            BitConverter.TryWriteBytes(file.AsSpan(at), value);
        }
        AssertReadsOrThrowsCaptureFileException(file);
    }

    private static void AssertReadsOrThrowsCaptureFileException(byte[] file)
    {
        // ReadAll lets anything but CaptureFileException escape, which fails the property.
        (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(file);
        Assert.True(records.Count <= file.Length / 12);
        if (error is not null)
        {
            Assert.DoesNotContain('\n', error.Message);
        }
        (List<ReadRecord> trickled, CaptureFileException? trickledError) = CaptureTestFiles.ReadAll(new TrickleStream(file, 3), bufferLength: 16);
        Assert.Equal(records, trickled);
        Assert.Equal(error?.Message, trickledError?.Message);
    }
}
