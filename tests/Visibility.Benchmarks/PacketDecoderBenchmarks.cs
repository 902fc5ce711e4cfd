using BenchmarkDotNet.Attributes;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>Cost of <see cref="PacketDecoder.Decode"/> per frame, over a shuffled mix of the frames a sensor on an
/// IPsec link mostly sees, and per frame kind.</summary>
[MemoryDiagnoser]
public class PacketDecoderBenchmarks
{
    private const int MixSize = 1024;

    /// <summary>Ethernet / IPv4 / ESP (SPI 0x1001), 64 octets of ciphertext.</summary>
    private static readonly byte[] s_ethernetIPv4Esp = Frame(
        "020000000002" + "020000000001" + "0800" +                 // 0  Ethernet
        "4500005c0003000040320000c0000201c6336402" +                 // 14 IPv4 total 92, ESP, 192.0.2.1 -> 198.51.100.2
        "0000100100000007",                                          // 34 SPI, sequence
        64);                                                         // 42 ciphertext, trailer, ICV

    /// <summary>Ethernet / IPv4 / UDP 4500 / ESP (SPI 0xb002), 64 octets of ciphertext.</summary>
    private static readonly byte[] s_ethernetIPv4UdpEsp = Frame(
        "020000000002" + "020000000001" + "0800" +
        "450000640004000040110000c0000201c6336402" +                 // 14 IPv4 total 100, UDP
        "1194119400500000" +                                         // 34 UDP 4500 -> 4500, length 80
        "0000b00200000001",                                          // 42 SPI, sequence
        64);

    /// <summary>Ethernet / IPv4 / TCP ACK with 12 octets of options and 100 octets of data.</summary>
    private static readonly byte[] s_ethernetIPv4Tcp = Frame(
        "020000000002" + "020000000001" + "0800" +
        "450000980005400040060000c0000201c6336402" +                 // 14 IPv4 total 152, DF, TCP
        "c001005000000001000000018010ffff00000000" +                 // 34 TCP 49153 -> 80, data offset 8, ACK
        "0101080a0000000100000002",                                  // 54 NOP NOP timestamps
        100);                                                        // 66 data

    /// <summary>Ethernet / IPv6 / ESP (SPI 0xc003), 64 octets of ciphertext.</summary>
    private static readonly byte[] s_ethernetIPv6Esp = Frame(
        "020000000002" + "020000000001" + "86dd" +
        "6000000000483240" +                                         // 14 IPv6 payload 72, ESP
        "20010db8000000000000000000000001" +                         // 22
        "20010db8000000000000000000000002" +                         // 38
        "0000c00300000002",                                          // 54 SPI, sequence
        64);

    private readonly byte[][] _mix = new byte[MixSize][];
    private readonly byte[][] _ethernetIPv4Esp = new byte[MixSize][];
    private readonly byte[][] _ethernetIPv4UdpEsp = new byte[MixSize][];
    private readonly byte[][] _ethernetIPv4Tcp = new byte[MixSize][];
    private readonly byte[][] _ethernetIPv6Esp = new byte[MixSize][];

    [GlobalSetup]
    public void Setup()
    {
        byte[][] kinds = [s_ethernetIPv4Esp, s_ethernetIPv4UdpEsp, s_ethernetIPv4Tcp, s_ethernetIPv6Esp];
        PayloadKind[] expected = [PayloadKind.Esp, PayloadKind.Esp, PayloadKind.Tcp, PayloadKind.Esp];
        for (int k = 0; k < kinds.Length; k++)
        {
            var meta = default(PacketMeta);
            PacketDecoder.Decode(kinds[k], LinkType.Ethernet, kinds[k].Length, ref meta);
            if (meta.Kind != expected[k] || meta.Anomaly != DecodeAnomaly.None)
            {
                throw new InvalidOperationException($"benchmark frame {k} decodes as {meta.Kind}/{meta.Anomaly}");
            }
        }
        var random = new Random(5879);
        for (int i = 0; i < MixSize; i++)
        {
            // Shuffled, so that branch prediction cannot learn a fixed rotation.
            _mix[i] = kinds[random.Next(kinds.Length)];
            _ethernetIPv4Esp[i] = s_ethernetIPv4Esp;
            _ethernetIPv4UdpEsp[i] = s_ethernetIPv4UdpEsp;
            _ethernetIPv4Tcp[i] = s_ethernetIPv4Tcp;
            _ethernetIPv6Esp[i] = s_ethernetIPv6Esp;
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = MixSize)]
    public long Mix() => DecodeAll(_mix);

    [Benchmark(OperationsPerInvoke = MixSize)]
    public long EthernetIPv4Esp() => DecodeAll(_ethernetIPv4Esp);

    [Benchmark(OperationsPerInvoke = MixSize)]
    public long EthernetIPv4UdpEsp() => DecodeAll(_ethernetIPv4UdpEsp);

    [Benchmark(OperationsPerInvoke = MixSize)]
    public long EthernetIPv4Tcp() => DecodeAll(_ethernetIPv4Tcp);

    [Benchmark(OperationsPerInvoke = MixSize)]
    public long EthernetIPv6Esp() => DecodeAll(_ethernetIPv6Esp);

    /// <summary>One reused <see cref="PacketMeta"/> for the whole batch, as a capture loop holds it.</summary>
    private static long DecodeAll(byte[][] frames)
    {
        long sum = 0;
        var meta = default(PacketMeta);
        for (int i = 0; i < frames.Length; i++)
        {
            byte[] frame = frames[i];
            PacketDecoder.Decode(frame, LinkType.Ethernet, frame.Length, ref meta);
            sum += meta.Spi + meta.DestinationPort;
        }
        return sum;
    }

    private static byte[] Frame(string headersHex, int payloadLength) =>
        [.. Convert.FromHexString(headersHex), .. new byte[payloadLength]];
}
