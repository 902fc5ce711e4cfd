using FsCheck.Xunit;

namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    private static readonly LinkType[] s_linkTypes =
    [
        LinkType.Null, LinkType.Ethernet, LinkType.RawLegacy12, LinkType.RawLegacy14, LinkType.Raw, LinkType.Loop,
        LinkType.LinuxSll, LinkType.IPv4, LinkType.IPv6, LinkType.LinuxSll2, (LinkType)239, (LinkType)0xFFFF,
    ];

    /// <summary>Protocols whose decoding paths differ, for random payloads behind a valid IP header.</summary>
    private static readonly byte[] s_protocols = [0, 1, 4, 6, 17, 41, 43, 44, 50, 51, 58, 59, 60, 141, 132];

    [Property(MaxTest = 2000)]
    public void Decode_RandomBytesUnderEveryLinkType_NeverThrowsAndStaysInBounds(byte[] bytes, byte linkChoice, ushort extra)
    {
        bytes ??= [];
        foreach (LinkType linkType in s_linkTypes)
        {
            var meta = default(PacketMeta);
            PacketDecoder.Decode(bytes, linkType, bytes.Length + (extra % 3 == 0 ? 0 : extra), ref meta);
            AssertInBounds(meta, bytes.Length, "random");
        }
        var single = default(PacketMeta);
        PacketDecoder.Decode(bytes, (LinkType)linkChoice, bytes.Length, ref single);
        AssertInBounds(single, bytes.Length, "random");
    }

    [Property(MaxTest = 2000)]
    public void Decode_MutatedSample_NeverThrowsAndStaysInBounds(byte sampleChoice, (ushort Position, byte Value)[] mutations, ushort cut, bool snapCut)
    {
        (string name, LinkType linkType, byte[] sample) = DecoderSamples.All[sampleChoice % DecoderSamples.All.Count];
        byte[] frame = sample.ToArray();
        foreach ((ushort position, byte value) in mutations ?? [])
        {
            frame[position % frame.Length] = value;
        }
        int length = cut % (frame.Length + 1);
        var meta = default(PacketMeta);
        PacketDecoder.Decode(frame.AsSpan(0, length), linkType, snapCut ? frame.Length : length, ref meta);
        AssertInBounds(meta, length, name);
    }

    [Property(MaxTest = 3000)]
    public void Decode_RandomPayloadBehindValidIPHeader_NeverThrowsAndStaysInBounds(byte protocolChoice, byte[] payload, bool ipv6, bool port4500, ushort cut)
    {
        payload ??= [];
        if (payload.Length > 1400)
        {
            payload = payload[..1400];
        }
        if (port4500 && payload.Length >= 4)
        {
            payload[0] = 0x11; // UDP source port 4500, when the protocol is UDP
            payload[1] = 0x94;
        }
        byte protocol = s_protocols[protocolChoice % s_protocols.Length];
        byte[] header = ipv6
            ? Hex.Parse("60 00 00 00 00 00 00 40 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02")
            : Hex.Parse("45 00 00 00 00 01 00 00 40 00 00 00 c0 00 02 01 c6 33 64 02");
        if (ipv6)
        {
            header[4] = (byte)(payload.Length >> 8);
            header[5] = (byte)payload.Length;
            header[6] = protocol;
        }
        else
        {
            header[2] = (byte)((payload.Length + 20) >> 8);
            header[3] = (byte)(payload.Length + 20);
            header[9] = protocol;
        }
        byte[] datagram = [.. header, .. payload];
        int length = cut % 4 == 0 ? cut % (datagram.Length + 1) : datagram.Length;

        var meta = default(PacketMeta);
        PacketDecoder.Decode(datagram.AsSpan(0, length), LinkType.Raw, datagram.Length, ref meta);
        AssertInBounds(meta, length, "behind IP");

        PacketDecoder.DecodeNetwork(datagram, ref meta);
        AssertInBounds(meta, datagram.Length, "network");
    }

    [Property(MaxTest = 2000)]
    public void DecodeTransport_RandomBytesOffsetsAndProtocols_NeverThrow(byte[] bytes, int offset, int end, byte protocol)
    {
        bytes ??= [];
        var meta = default(PacketMeta);
        PacketDecoder.DecodeTransport(bytes, offset, end, (IPProtocol)protocol, ref meta);

        if (meta.Kind != PayloadKind.None)
        {
            Assert.InRange(meta.PayloadOffset, 0, bytes.Length);
            Assert.InRange(meta.PayloadOffset + meta.PayloadLength, meta.PayloadOffset, bytes.Length);
        }
    }
}
