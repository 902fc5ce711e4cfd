using Visibility.IkePeer.Cli;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Tests.Session;

namespace Visibility.IkePeer.Tests.Cli;

public sealed class CaptureSenderTests
{
    private static async Task<List<byte[]>> ReceivedAsync(List<byte[]> received, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            lock (received)
            {
                if (received.Count >= expected)
                {
                    break;
                }
            }

            await Task.Delay(20);
        }

        // A little longer, so that packets beyond the expected ones would show.
        await Task.Delay(100);
        lock (received)
        {
            return [.. received];
        }
    }

    [Fact]
    [Trait("rfc", "4303-3.1.2")]
    public async Task Send_PlainPcapWideSelectors_ResponderGetsEveryIPPacketByteForByte()
    {
        var any = TrafficSelector.ParseCidr("0.0.0.0/0");
        using var pair = new LoopbackPair(
            responderLocalTs: "0.0.0.0/0",
            initiatorOptions: o => o with { LocalTs = any, RemoteTs = any },
            responderOptions: o => o with { RemoteTs = any });
        var received = new List<byte[]>();
        pair.Responder.InnerPacketTap = packet =>
        {
            lock (received)
            {
                received.Add(packet);
            }
        };
        var path = PcapOracle.RepoPath("captures/synthetic/rules/plain.pcap");
        var expected = PcapOracle.IPv4PacketsOfEthernetPcap(path);
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

        var summary = CaptureSender.Send(pair.Initiator, session, path);

        Assert.Equal(16, expected.Count);
        Assert.Equal(new CaptureSendSummary(path, 16, 0, 0, 0, 0), summary);
        Assert.Equal($"sent 16 packets from {path} (0 skipped)", summary.Line());
        Assert.Equal(expected, await ReceivedAsync(received, expected.Count));
        Assert.Equal(16, pair.Responder.InnerPacketsReceived);
    }

    [Fact]
    [Trait("rfc", "7296-2.9")]
    public async Task Send_MixedFrames_SendsTheFittingIPPacketSkipsTheRestByReason()
    {
        byte[] inside = [10, 1, 0, 10], remote = [10, 2, 0, 20];
        var fitting = PcapOracle.IPv4Udp(inside, remote, 4);
        var backwards = PcapOracle.IPv4Udp(remote, inside, 4);
        var cut = PcapOracle.Ethernet(0x0800, PcapOracle.IPv4Udp(inside, remote, 100));
        var ipv6 = new byte[48];
        ipv6[0] = 0x60;                       // 0: version 6
        ipv6[5] = 8;                          // 4: payload length 8
        ipv6[6] = 17;                         // 6: UDP
        ipv6[7] = 64;                         // 7: hop limit
        ipv6[8] = 0x20;                       // 8: source 2001:db8::1
        ipv6[9] = 0x01;
        ipv6[10] = 0x0d;
        ipv6[11] = 0xb8;
        ipv6[23] = 1;
        ipv6[24] = 0x20;                      // 24: destination 2001:db8::2
        ipv6[25] = 0x01;
        ipv6[26] = 0x0d;
        ipv6[27] = 0xb8;
        ipv6[39] = 2;
        ipv6[41] = 9;                         // 40: UDP ports 0 -> 9, length 8
        ipv6[45] = 8;
        var path = Path.Combine(Path.GetTempPath(), $"send-pcap-{Guid.NewGuid():N}.pcap");
        PcapOracle.WriteEthernetPcap(path,
        [
            (PcapOracle.Ethernet(0x0806, new byte[28]), 42),                           // ARP
            (PcapOracle.Ethernet(0x0800, [.. fitting, 0, 0, 0, 0]), 14 + fitting.Length + 4), // with trailer padding
            (cut[..60], cut.Length),                                                   // cut by the snap length
            (PcapOracle.Ethernet(0x0800, backwards), 14 + backwards.Length),
            (PcapOracle.Ethernet(0x86dd, ipv6), 14 + ipv6.Length),
        ]);
        try
        {
            using var pair = new LoopbackPair();
            var received = new List<byte[]>();
            pair.Responder.InnerPacketTap = packet =>
            {
                lock (received)
                {
                    received.Add(packet);
                }
            };
            var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

            var summary = CaptureSender.Send(pair.Initiator, session, path);

            Assert.Equal(new CaptureSendSummary(path, 1, 1, 0, 1, 2), summary);
            Assert.Equal($"sent 1 packets from {path} (4 skipped: 1 not IP, 1 truncated by the snap length, 2 outside the traffic selectors)", summary.Line());
            var packet = Assert.Single(await ReceivedAsync(received, 1));
            Assert.Equal(fitting, packet);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Send_NotACaptureFile_ThrowsCaptureFileException()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, "not a capture file at all");
        try
        {
            using var pair = new LoopbackPair();
            var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
            Assert.Throws<Visibility.Wire.Pcap.CaptureFileException>(() => CaptureSender.Send(pair.Initiator, session, path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
