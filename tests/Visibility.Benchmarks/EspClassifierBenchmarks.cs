using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Visibility.Engine.Esp;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>The three paths of <see cref="EspClassifier.Classify"/>: probing a new SA, the NULL fast path, and an
/// encrypted SA (skipped, with a full probe every 64th packet). One call = one packet.</summary>
[MemoryDiagnoser]
public class EspClassifierBenchmarks
{
    private const int PayloadLength = 1000;
    private const int RandomPackets = 64;

    private readonly EspClassifier _classifier = new();
    private readonly NetworkAddress _source = NetworkAddress.Parse("192.0.2.10");
    private readonly NetworkAddress _destination = NetworkAddress.Parse("198.51.100.20");
    private byte[] _nullPacket = [];
    private byte[][] _encryptedPackets = [];
    private EspSaState _nullSa;
    private EspSaState _encryptedSa;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        byte[] data = new byte[PayloadLength];
        random.NextBytes(data);
        _nullPacket = EspNull(Tcp(data), nextHeader: 6, icvLength: 16, random);
        _encryptedPackets = new byte[RandomPackets][];
        for (int i = 0; i < RandomPackets; i++)
        {
            _encryptedPackets[i] = new byte[_nullPacket.Length];
            random.NextBytes(_encryptedPackets[i]);
        }
        _nullSa = default;
        _encryptedSa = default;
        for (int i = 0; i < 4; i++)
        {
            _classifier.Classify(ref _nullSa, _nullPacket, true, _source, _destination, i + 1);
            _classifier.Classify(ref _encryptedSa, _encryptedPackets[i], true, _source, _destination, i + 1);
        }
        if (_nullSa.Verdict != EspSaVerdict.Null || _encryptedSa.Verdict != EspSaVerdict.Encrypted)
        {
            throw new InvalidOperationException("benchmark SAs did not reach their verdicts");
        }
    }

    /// <summary>A decided NULL SA: trailer at the known ICV, inner structure, slice.</summary>
    [Benchmark(Baseline = true)]
    public EspPacketVerdict NullFastPath() => _classifier.Classify(ref _nullSa, _nullPacket, true, _source, _destination, 10);

    /// <summary>First packet of an ESP-NULL SA: every layout read, checksums verified.</summary>
    [Benchmark]
    public EspPacketVerdict ProbeNullPacket()
    {
        EspSaState sa = default;
        return _classifier.Classify(ref sa, _nullPacket, true, _source, _destination, 1);
    }

    /// <summary>First packet of an encrypted SA: every layout read and rejected.</summary>
    [Benchmark]
    public EspPacketVerdict ProbeEncryptedPacket()
    {
        EspSaState sa = default;
        return _classifier.Classify(ref sa, _encryptedPackets[0], true, _source, _destination, 1);
    }

    /// <summary>A decided encrypted SA in steady state, re-checks included.</summary>
    [Benchmark]
    public EspPacketVerdict EncryptedSkip()
    {
        _next = (_next + 1) % RandomPackets;
        return _classifier.Classify(ref _encryptedSa, _encryptedPackets[_next], true, _source, _destination, 10);
    }

    private byte[] Tcp(byte[] data)
    {
        var segment = new byte[20 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, 443);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), 51000);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), 1000);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), 2000);
        segment[12] = 0x50;
        segment[13] = 0x18; // ACK, PSH
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), 65535);
        data.CopyTo(segment, 20);
        Span<byte> addresses = stackalloc byte[8];
        _source.WriteBytes(addresses);
        _destination.WriteBytes(addresses[4..]);
        uint sum = Sum(addresses) + 6 + (uint)segment.Length + Sum(segment);
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(16), (ushort)~sum);
        return segment;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
        }
        return sum;
    }

    private static byte[] EspNull(byte[] payload, byte nextHeader, int icvLength, Random random)
    {
        int pad = (4 - (payload.Length + 2) % 4) % 4;
        var packet = new byte[8 + payload.Length + pad + 2 + icvLength];
        BinaryPrimitives.WriteUInt32BigEndian(packet, 0x1000);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 1);
        payload.CopyTo(packet, 8);
        int offset = 8 + payload.Length;
        for (int i = 0; i < pad; i++)
        {
            packet[offset++] = (byte)(i + 1);
        }
        packet[offset++] = (byte)pad;
        packet[offset++] = nextHeader;
        random.NextBytes(packet.AsSpan(offset));
        return packet;
    }
}
