using System.Buffers.Binary;
using System.Runtime.InteropServices;
using PacketDotNet;
using Visibility.Engine.Esp;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Engine.Tests.Esp;

/// <summary>The classifier on real and generated captures (see captures/README.md). PacketDotNet finds the ESP bytes,
/// independently of our own decoder.</summary>
public sealed class EspCaptureTests
{
    private readonly record struct SaKey(NetworkAddress Source, NetworkAddress Destination, uint Spi, ushort SourcePort, ushort DestinationPort);

    private sealed class SaReplay
    {
        public EspSaState State;

        public List<(long Frame, EspPacketVerdict Verdict, byte[] Esp)> Packets { get; } = [];
    }

    private static string CapturePath(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Visibility.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        return Path.Combine(directory.FullName, "captures", relative);
    }

    private static Dictionary<SaKey, SaReplay> Replay(string relativePath)
    {
        var classifier = new EspClassifier();
        var sas = new Dictionary<SaKey, SaReplay>();
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(CapturePath(relativePath)));
        while (reader.TryReadNext(out CaptureRecord record))
        {
            Assert.Equal(LinkType.Ethernet, record.LinkType);
            Packet packet = Packet.ParsePacket(LinkLayers.Ethernet, record.Data.ToArray());
            if (packet.Extract<IPPacket>() is not { } ip || !TryGetEsp(ip, packet, out byte[] esp, out ushort sourcePort, out ushort destinationPort))
            {
                continue;
            }
            var source = NetworkAddress.FromIPAddress(ip.SourceAddress);
            var destination = NetworkAddress.FromIPAddress(ip.DestinationAddress);
            var key = new SaKey(source, destination, BinaryPrimitives.ReadUInt32BigEndian(esp), sourcePort, destinationPort);
            if (!sas.TryGetValue(key, out SaReplay? sa))
            {
                sa = new SaReplay();
                sas.Add(key, sa);
            }
            bool whole = record.OriginalLength == record.Data.Length;
            EspPacketVerdict verdict = classifier.Classify(ref sa.State, esp, whole, source, destination, record.FrameNumber);
            sa.Packets.Add((record.FrameNumber, verdict, esp));
        }
        return sas;
    }

    private static bool TryGetEsp(IPPacket ip, Packet packet, out byte[] esp, out ushort sourcePort, out ushort destinationPort)
    {
        esp = [];
        sourcePort = 0;
        destinationPort = 0;
        byte[] payload = ip.PayloadPacket?.Bytes ?? ip.PayloadData ?? [];
        if (ip.Protocol == ProtocolType.IPSecEncapsulatingSecurityPayload)
        {
            esp = payload;
            return esp.Length >= 8;
        }
        if (ip.Protocol == ProtocolType.Udp && packet.Extract<UdpPacket>() is { } udp && (udp.SourcePort == 4500 || udp.DestinationPort == 4500))
        {
            byte[] data = udp.PayloadData ?? [];
            // RFC 3948 §2.2, §2.3: NAT-keepalive and non-ESP marker (IKE) are not ESP.
            if (data.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(data) == 0)
            {
                return false;
            }
            esp = data;
            sourcePort = udp.SourcePort;
            destinationPort = udp.DestinationPort;
            return true;
        }
        return false;
    }

    private static byte[] NextHeaders(in EspSaState state)
    {
        Span<byte> buffer = stackalloc byte[256];
        return buffer[..state.NextHeaders.CopyTo(buffer)].ToArray();
    }

    [Fact]
    [Trait("rfc", "5879-8")]
    public void Ip6Esp_NullSasFoundWithTheirIcvAndEncryptedOnesNot()
    {
        Dictionary<SaKey, SaReplay> sas = Replay("public/zeek__testing__btest__Traces__ip6_esp.pcap");

        Assert.Equal(12, sas.Count);
        Assert.All(sas.Values, sa => Assert.Equal(10, sa.Packets.Count));
        foreach ((SaKey key, SaReplay sa) in sas)
        {
            EspSaState state = sa.State;
            switch (key.Spi)
            {
                case 0xd or 0x17:
                    Assert.Equal(EspSaVerdict.Null, state.Verdict);
                    Assert.Equal(key.Spi == 0xd ? 12 : 0, state.IcvLength);
                    Assert.Equal(0, state.IvLength);
                    Assert.Equal(EspMode.Transport, state.Mode);
                    Assert.Equal([58], NextHeaders(state));
                    Assert.Equal(10, state.NullPackets);
                    Assert.Equal(EspVerdictReason.NullConfirmed, state.Reason);
                    Assert.Equal(sa.Packets[1].Frame, state.DecidedAtFrame);
                    foreach ((long _, EspPacketVerdict verdict, byte[] esp) in sa.Packets)
                    {
                        Assert.True(verdict.IsCleartext);
                        Assert.Equal(128, esp[verdict.CleartextOffset]); // ICMPv6 echo request
                        Assert.Equal(64, verdict.CleartextLength);
                    }
                    Assert.Single(sa.Packets, p => p.Verdict.VerdictChanged);
                    break;
                default:
                    Assert.Equal(EspSaVerdict.Encrypted, state.Verdict);
                    Assert.Equal(EspVerdictReason.EncryptedNoFit, state.Reason);
                    Assert.Equal(0, state.NullPackets);
                    Assert.True(state.NextHeaders.IsEmpty);
                    // Includes frames 10 (SPI 0xa) and 101 (SPI 0x15), which Wireshark's heuristic decodes as NULL.
                    Assert.DoesNotContain(sa.Packets, p => p.Verdict.IsCleartext);
                    Assert.Single(sa.Packets, p => p.Verdict.VerdictChanged);
                    break;
            }
        }
        Assert.Equal(2, sas.Keys.Count(k => k.Spi == 0xd));
        Assert.Single(sas.Keys, k => k.Spi == 0x17);
    }

    [Fact]
    public void Ip6Esp_WiresharkFalsePositives_NotCleartext()
    {
        Dictionary<SaKey, SaReplay> sas = Replay("public/zeek__testing__btest__Traces__ip6_esp.pcap");

        var frames = sas.Values.SelectMany(sa => sa.Packets).ToDictionary(p => p.Frame, p => p.Verdict);

        Assert.False(frames[10].IsCleartext);
        Assert.False(frames[101].IsCleartext);
    }

    [Theory]
    [InlineData("public/synthetic__esp-null_hmac-sha1-96_ipv4-tunnel.pcap", 0xa001u, 12, EspMode.Tunnel, new byte[] { 4 }, 4, 2)]
    [InlineData("public/synthetic__esp-null_hmac-sha256-128_udpencap4500-transport.pcap", 0xb002u, 16, EspMode.Transport, new byte[] { 6, 17 }, 2, 3)]
    [InlineData("public/synthetic__esp-null_hmac-sha512-256_vlan-ipv6-transport.pcap", 0xc003u, 32, EspMode.Transport, new byte[] { 6, 17 }, 2, 2)]
    public void Synthetic_NullSaAsGenerated(string path, uint spi, int icvLength, EspMode mode, byte[] nextHeaders, int packets, long decidedAt)
    {
        Dictionary<SaKey, SaReplay> sas = Replay(path);

        (SaKey key, SaReplay sa) = Assert.Single(sas);
        Assert.Equal(spi, key.Spi);
        EspSaState state = sa.State;
        Assert.Equal(EspSaVerdict.Null, state.Verdict);
        Assert.Equal(icvLength, state.IcvLength);
        Assert.Equal(0, state.IvLength);
        Assert.Equal(mode, state.Mode);
        Assert.Equal(nextHeaders, NextHeaders(state));
        Assert.Equal(packets, state.NullPackets);
        Assert.Equal(decidedAt, state.DecidedAtFrame);
        Assert.All(sa.Packets, p => Assert.True(p.Verdict.IsCleartext));
    }

    [Fact]
    public void Synthetic_TunnelCleartext_IsTheInnerIPv4Packet()
    {
        Dictionary<SaKey, SaReplay> sas = Replay("public/synthetic__esp-null_hmac-sha1-96_ipv4-tunnel.pcap");

        foreach ((long _, EspPacketVerdict verdict, byte[] esp) in sas.Values.Single().Packets)
        {
            ReadOnlySpan<byte> inner = esp.AsSpan(verdict.CleartextOffset, verdict.CleartextLength);
            Assert.Equal(0x45, inner[0]);
            Assert.Equal(inner.Length, BinaryPrimitives.ReadUInt16BigEndian(inner[2..]));
            Assert.Equal([10, 1, 0, 10], inner[12..16].ToArray());
        }
    }

    [Fact]
    public void Replay_Twice_SecondPassAllocatesNothingInTheClassifier()
    {
        // Copy the ESP packets out once; the classifier then runs over them without allocating.
        Dictionary<SaKey, SaReplay> sas = Replay("public/zeek__testing__btest__Traces__ip6_esp.pcap");
        var packets = sas.SelectMany(kv => kv.Value.Packets.Select(p => (kv.Key, p.Esp))).ToArray();
        var states = new Dictionary<SaKey, EspSaState>();
        foreach (SaKey key in sas.Keys)
        {
            states[key] = default;
        }
        var classifier = new EspClassifier();
        RunPass();

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunPass();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);

        void RunPass()
        {
            foreach ((SaKey key, byte[] esp) in packets)
            {
                ref EspSaState state = ref CollectionsMarshal.GetValueRefOrNullRef(states, key);
                classifier.Classify(ref state, esp, true, key.Source, key.Destination, 1);
            }
        }
    }
}
