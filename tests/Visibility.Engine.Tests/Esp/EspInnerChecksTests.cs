using System.Buffers.Binary;
using Visibility.Engine.Esp;
using static Visibility.Engine.Tests.Esp.EspTestPackets;

namespace Visibility.Engine.Tests.Esp;

public sealed class EspInnerChecksTests
{
    private static readonly PseudoHeader s_v4 = PseudoHeader.FromAddresses(V4Source, V4Destination);
    private static readonly PseudoHeader s_v6 = PseudoHeader.FromAddresses(V6Source, V6Destination);

    private static (EspInnerStatus Status, EspCheckTally Tally, int InnerLength) Check(byte protocol, byte[] payload, PseudoHeader pseudo)
    {
        EspCheckTally tally = default;
        EspInnerStatus status = EspInnerChecks.Check(protocol, payload, pseudo, verifyChecksums: true, ref tally, out int innerLength);
        return (status, tally, innerLength);
    }

    private static byte[] With(byte[] bytes, int offset, byte value)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[offset] = value;
        return copy;
    }

    public static TheoryData<string, byte, byte[], bool> InvalidCases()
    {
        byte[] syn = Tcp(V4Source, V4Destination, 1, 2, 0, 0, Syn, []);
        byte[] udp = Udp(V4Source, V4Destination, 1, 2, [1, 2, 3]);
        byte[] ipv4 = IPv4(InnerV4Source, InnerV4Destination, 17, Udp(InnerV4Source, InnerV4Destination, 1, 2, []));
        byte[] ipv6 = IPv6(InnerV6Source, InnerV6Destination, 17, Udp(InnerV6Source, InnerV6Destination, 1, 2, []));
        byte[] sctp = [0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 20, .. new byte[16]];
        return new TheoryData<string, byte, byte[], bool>
        {
            { "tcp shorter than 20", 6, syn[..19], false },
            { "tcp data offset 4", 6, With(syn, 12, 0x40), false },
            { "tcp data offset beyond segment", 6, With(syn, 12, 0x60), false },
            { "tcp syn+fin", 6, With(syn, 13, Syn | Fin), false },
            { "tcp syn+rst", 6, With(syn, 13, Syn | Rst), false },
            { "tcp option length 1", 6, With(With(With([.. syn, 0, 0, 0, 0], 12, 0x60), 20, 2), 21, 1), false },
            { "tcp option beyond header", 6, With(With(With([.. syn, 0, 0, 0, 0], 12, 0x60), 20, 2), 21, 8), false },
            { "tcp options well formed", 6, With(With(With([.. syn, 1, 1, 1, 0], 12, 0x60), 20, 1), 21, 1), true },
            { "udp length 7", 17, With(udp, 5, 7), false },
            { "udp length beyond payload", 17, With(udp, 5, 12), false },
            { "udp shorter than 8", 17, udp[..7], false },
            { "icmp shorter than 8", 1, IcmpEcho(1, 1, [])[..7], false },
            { "ipv4 version 6", 4, With(ipv4, 0, 0x65), false },
            { "ipv4 ihl 4", 4, With(ipv4, 0, 0x44), false },
            { "ipv4 total length beyond", 4, With(ipv4, 3, 0xFF), false },
            { "ipv4 bad header checksum", 4, With(ipv4, 10, (byte)(ipv4[10] ^ 1)), false },
            { "ipv6 version 4", 41, With(ipv6, 0, 0x40), false },
            { "ipv6 payload length beyond", 41, With(ipv6, 5, 0xFF), false },
            { "sctp chunk length 2", 132, With(sctp, 15, 2), false },
            { "sctp chunk beyond packet", 132, With(sctp, 15, 40), false },
            { "sctp valid", 132, sctp, true },
        };
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    [Trait("rfc", "5879-8.3")]
    public void Check_ValidityRule_Table(string name, byte protocol, byte[] payload, bool valid)
    {
        EspInnerStatus status = Check(protocol, payload, s_v4).Status;

        Assert.True(valid == (status == EspInnerStatus.Valid), name);
        Assert.True(valid || status == EspInnerStatus.Invalid, name);
    }

    [Theory]
    [InlineData(47)]
    [InlineData(50)]
    [InlineData(89)]
    [InlineData(44)]
    [Trait("rfc", "5879-8.2")]
    public void Check_ProtocolNotChecked_Unchecked(byte protocol)
    {
        Assert.Equal(EspInnerStatus.Unchecked, Check(protocol, RandomBytes(64, protocol), s_v4).Status);
    }

    [Fact]
    public void Check_NestedTunnel_SecondLevelUnchecked()
    {
        byte[] inner = IPv4(InnerV4Source, InnerV4Destination, 4, IPv4(InnerV4Source, InnerV4Destination, 17, RandomBytes(20, 1)));

        (EspInnerStatus status, EspCheckTally tally, _) = Check(4, inner, s_v4);

        Assert.Equal(EspInnerStatus.Valid, status);
        Assert.Equal(2, tally.Verified); // header checksum and total length; the inner-inner packet is not followed
    }

    [Fact]
    [Trait("rfc", "8200-4")]
    public void Check_DestinationOptionsThenTcpOverIPv6_WalksToTcpChecksum()
    {
        byte[] tcp = Tcp(V6Source, V6Destination, 1000, 22, 1, 0, Syn, []);
        byte[] payload = [6, 0, 1, 4, 0, 0, 0, 0, .. tcp]; // Destination Options: next TCP, 8 octets, PadN

        (EspInnerStatus status, EspCheckTally tally, int innerLength) = Check(60, payload, s_v6);

        Assert.Equal(EspInnerStatus.Valid, status);
        Assert.Equal(1, tally.Verified);
        Assert.Equal(payload.Length, innerLength);
    }

    [Fact]
    public void Check_ExtensionHeaderOverIPv4_Unchecked()
    {
        Assert.Equal(EspInnerStatus.Unchecked, Check(60, RandomBytes(40, 1), s_v4).Status);
    }

    [Fact]
    [Trait("rfc", "5879-8.3.2")]
    public void Check_UdpShorterThanSpace_InnerLengthIsUdpLength()
    {
        byte[] udp = [.. Udp(V4Source, V4Destination, 53, 53, [1, 2, 3, 4]), .. RandomBytes(9, 2)];

        (EspInnerStatus status, EspCheckTally tally, int innerLength) = Check(17, udp, s_v4);

        Assert.Equal(EspInnerStatus.Valid, status);
        Assert.Equal(12, innerLength);
        Assert.Equal(1, tally.Verified); // checksum, not the length
    }

    [Fact]
    public void Check_UdpZeroChecksum_OnlyLengthVerified()
    {
        byte[] udp = Udp(V4Source, V4Destination, 53, 53, [1, 2, 3, 4], withChecksum: false);

        Assert.Equal(1, Check(17, udp, s_v4).Tally.Verified);
    }

    [Fact]
    public void Check_Ipv4Fragment_UpperLayerNotFollowed()
    {
        byte[] fragment = IPv4(InnerV4Source, InnerV4Destination, 17, Udp(InnerV4Source, InnerV4Destination, 1, 2, [9]), flagsAndOffset: 0x2000);

        (EspInnerStatus status, EspCheckTally tally, _) = Check(4, fragment, s_v4);

        Assert.Equal(EspInnerStatus.Valid, status);
        Assert.Equal(2, tally.Verified);
    }

    [Fact]
    public void Check_TcpAckSetOrUrgentPointer_FewerBits()
    {
        byte[] syn = Tcp(V4Source, V4Destination, 1, 2, 0, 0, Syn, []);
        byte[] ack = Tcp(V4Source, V4Destination, 1, 2, 0, 5, Ack, []);
        byte[] urgent = (byte[])ack.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(urgent.AsSpan(18), 1);

        int synBits = Check(6, syn, s_v4).Tally.Bits;
        int ackBits = Check(6, ack, s_v4).Tally.Bits;
        int urgentBits = Check(6, urgent, s_v4).Tally.Bits; // checksum now wrong too

        Assert.Equal(ackBits + 32, synBits);
        Assert.Equal(ackBits - 32, urgentBits);
    }
}
