using Visibility.Wire.Pcap;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Truncation sweep: a capture cut at every byte offset yields every whole record before the cut, then
/// ends cleanly if the cut falls between records or blocks, and otherwise throws <see cref="CaptureFileException"/>.</summary>
public sealed partial class CaptureFileReaderTests
{
    public static TheoryData<string> TruncationCaptures() =>
    [
        "tcpdump__tests__tcp-handshake-nano.pcap",
        "tcpdump__tests__esp_truncated.pcap",
        "tcpdump__tests__ikev2pI2-segfault.pcapng",
        "nDPI__tests__cfgs__default__pcap__esp.pcapng",
        "synthetic__pcapng-sections-interfaces.pcapng",
        "synthetic__mergecap-sll-ethernet.pcapng",
        "synthetic__big-endian-tcp-handshake-nano.pcap",
    ];

    [Theory]
    [MemberData(nameof(TruncationCaptures))]
    public void TryReadNext_CaptureCutAtEveryOffset_ReturnsWholeRecordsThenEndsOrThrows(string captureName)
    {
        byte[] file = CaptureTestFiles.ReadCapture(captureName);
        (List<ReadRecord> all, CaptureFileException? fullError) = CaptureTestFiles.ReadAll(file);
        Assert.Null(fullError);
        List<(int End, bool IsPacket)> boundaries = CaptureLayout.Boundaries(file);
        Assert.Equal(file.Length, boundaries[^1].End);
        Assert.Equal(all.Count, boundaries.Count(b => b.IsPacket));
        var cleanCuts = boundaries.Select(b => b.End).ToHashSet();

        for (int cut = 0; cut <= file.Length; cut++)
        {
            byte[] prefix = file[..cut];
            int wholeRecords = boundaries.Count(b => b.IsPacket && b.End <= cut);
            bool clean = cleanCuts.Contains(cut);
            // Seekable with a file-sized buffer, and non-seekable with short reads and a growing buffer.
            (List<ReadRecord> Records, CaptureFileException? Error)[] runs =
            [
                CaptureTestFiles.ReadAll(prefix),
                CaptureTestFiles.ReadAll(new TrickleStream(prefix, maxRead: 5), bufferLength: 32),
            ];
            foreach ((List<ReadRecord> records, CaptureFileException? error) in runs)
            {
                Assert.True(wholeRecords == records.Count, $"cut at {cut}: {records.Count} records, expected {wholeRecords}");
                Assert.Equal(all.Take(wholeRecords), records);
                Assert.True(clean == error is null, $"cut at {cut}: {(error is null ? "clean end" : error.Message)}");
                if (error is not null)
                {
                    Assert.DoesNotContain('\n', error.Message);
                    Assert.InRange(error.ByteOffset, 0, cut);
                }
            }
        }
    }
}
