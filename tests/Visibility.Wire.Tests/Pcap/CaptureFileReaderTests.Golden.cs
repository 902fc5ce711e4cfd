using System.Globalization;
using Visibility.Wire.Pcap;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Golden tests: every capture with a tshark oracle file in <c>Pcap/Oracle/</c> (made by
/// <c>Oracle/regenerate.sh</c>) must read back exactly as tshark read it.</summary>
public sealed partial class CaptureFileReaderTests
{
    public static TheoryData<string> OracleCaptures()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(CaptureTestFiles.OracleDirectory, "*.tsv").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(path));
        }
        return data;
    }

    [Fact]
    public void Oracle_CoversTheRequiredCaptures()
    {
        string[] required =
        [
            "tcpdump__tests__tcp-handshake-nano.pcap", "nDPI__tests__cfgs__default__pcap__esp.pcapng",
            "tcpdump__tests__ikev2pI2-segfault.pcapng", "tcpdump__tests__isakmp-no-none-np.pcapng",
            "tcpdump__tests__esp_truncated.pcap", "tcpdump__tests__isakmp-rfc3948-oobr.pcap",
            "zeek__testing__btest__Traces__linux_dlt_sll2.pcap", "tcpdump__tests__LINKTYPE_IPV4.pcap",
            "synthetic__mergecap-sll-ethernet.pcapng", "synthetic__big-endian-ikev2four.pcap",
            "synthetic__pcapng-sections-interfaces.pcapng",
        ];
        var present = OracleCaptures().Select((object[] row) => (string)row[0]).ToHashSet();
        Assert.All(required, name => Assert.Contains(name, present));
    }

    [Theory]
    [MemberData(nameof(OracleCaptures))]
    public void TryReadNext_Capture_MatchesTshark(string captureName)
    {
        List<ReadRecord> expected = ReadOracle(captureName);
        byte[] file = CaptureTestFiles.ReadCapture(captureName);

        // Whole-file buffer, a 64-byte buffer (refills and growth), and a non-seekable stream with short reads.
        (List<ReadRecord> Records, CaptureFileException? Error)[] runs =
        [
            CaptureTestFiles.ReadAll(file),
            CaptureTestFiles.ReadAll(file, bufferLength: 64),
            CaptureTestFiles.ReadAll(new TrickleStream(file, maxRead: 7), bufferLength: 64),
        ];
        foreach ((List<ReadRecord> records, CaptureFileException? error) in runs)
        {
            Assert.Null(error);
            Assert.Equal(expected.Count, records.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                ReadRecord want = expected[i];
                ReadRecord got = records[i];
                Assert.Equal(want.FrameNumber, got.FrameNumber);
                Assert.Equal(want.TimestampNanoseconds, got.TimestampNanoseconds);
                Assert.Equal(want.OriginalLength, got.OriginalLength);
                Assert.Equal(want.Data.Length, got.Data.Length);
                Assert.Equal(want.InterfaceId, got.InterfaceId);
                Assert.Equal(want.LinkType, got.LinkType);
            }
            Assert.Equal(runs[0].Records, records);
        }
    }

    [Theory]
    [MemberData(nameof(OracleCaptures))]
    public void Format_Capture_MatchesMagic(string captureName)
    {
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(Path.Combine(CaptureTestFiles.PublicCaptures, captureName)));
        CaptureFormat expected = captureName.EndsWith(".pcapng", StringComparison.Ordinal) ? CaptureFormat.PcapNg
            : captureName.Contains("nano", StringComparison.Ordinal) ? CaptureFormat.PcapNanosecond
            : CaptureFormat.Pcap;
        Assert.Equal(expected, reader.Format);
    }

    [Fact]
    public void SkippedBlocks_SyntheticSections_CountsNameResolutionStatisticsAndUnknown()
    {
        using CaptureFileReader reader = CaptureFileReader.Open(new MemoryStream(CaptureTestFiles.ReadCapture("synthetic__pcapng-sections-interfaces.pcapng")));
        while (reader.TryReadNext(out _))
        {
        }
        Assert.Equal(9, reader.RecordsRead);
        Assert.Equal(3, reader.SkippedBlocks);
    }

    [Fact]
    public void LinkType_UpperBitsInFileHeader_AreMasked()
    {
        // esp_truncated.pcap's link-type field is 0x40000001, isakmp-rfc3948-oobr.pcap's 0x30000001.
        foreach (string name in new[] { "tcpdump__tests__esp_truncated.pcap", "tcpdump__tests__isakmp-rfc3948-oobr.pcap" })
        {
            (List<ReadRecord> records, CaptureFileException? error) = CaptureTestFiles.ReadAll(CaptureTestFiles.ReadCapture(name));
            Assert.Null(error);
            Assert.NotEmpty(records);
            Assert.All(records, r => Assert.Equal(LinkType.Ethernet, r.LinkType));
        }
    }

    /// <summary>Reads <c>Oracle/NAME.tsv</c>: frame.number, frame.time_epoch (9 decimals; empty for a Simple
    /// Packet Block, which has no timestamp), frame.len, frame.cap_len, frame.interface_id (empty for classic
    /// pcap), frame.encap_type. Data holds cap_len zero bytes: only its length is compared.</summary>
    private static List<ReadRecord> ReadOracle(string captureName)
    {
        var records = new List<ReadRecord>();
        foreach (string line in File.ReadLines(Path.Combine(CaptureTestFiles.OracleDirectory, captureName + ".tsv")))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string[] f = line.Split('\t');
            Assert.Equal(6, f.Length);
            records.Add(new ReadRecord(
                FrameNumber: long.Parse(f[0], CultureInfo.InvariantCulture),
                TimestampNanoseconds: ParseEpoch(f[1]),
                OriginalLength: int.Parse(f[2], CultureInfo.InvariantCulture),
                InterfaceId: f[4].Length == 0 ? 0 : int.Parse(f[4], CultureInfo.InvariantCulture),
                LinkType: LinkTypeFromWiretapEncapsulation(int.Parse(f[5], CultureInfo.InvariantCulture)),
                Data: new byte[int.Parse(f[3], CultureInfo.InvariantCulture)]));
        }
        Assert.NotEmpty(records);
        return records;
    }

    private static long ParseEpoch(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }
        string[] parts = text.Split('.');
        Assert.Equal(9, parts[1].Length);
        return (long.Parse(parts[0], CultureInfo.InvariantCulture) * 1_000_000_000) + long.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    /// <summary>tshark reports Wireshark's own encapsulation numbers (WTAP_ENCAP_*), not LINKTYPE values; this is
    /// the part of Wireshark's LINKTYPE-to-WTAP table (wiretap/pcap-common.c) the oracle files use.</summary>
    private static LinkType LinkTypeFromWiretapEncapsulation(int encapsulation) => encapsulation switch
    {
        1 => LinkType.Ethernet,
        7 => LinkType.Raw,
        15 => LinkType.Null,
        25 => LinkType.LinuxSll,
        129 => LinkType.IPv4,
        130 => LinkType.IPv6,
        210 => LinkType.LinuxSll2,
        _ => throw new InvalidOperationException($"no LINKTYPE known for WTAP_ENCAP {encapsulation}; extend the table"),
    };
}
