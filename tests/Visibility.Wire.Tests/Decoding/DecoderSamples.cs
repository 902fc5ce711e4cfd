namespace Visibility.Wire.Tests.Decoding;

/// <summary>Well-formed frames, one per decoding path, shared by the table tests, the truncation sweep, the
/// FsCheck mutations and the allocation guard. Checksums are left zero: the decoder does not verify them.</summary>
internal static class DecoderSamples
{
    public const string EthernetToIPv4 =
        "02 00 00 00 00 02 02 00 00 00 00 01 08 00";         // 0  Ethernet: dst, src, EtherType IPv4

    public const string EthernetToIPv6 =
        "02 00 00 00 00 02 02 00 00 00 00 01 86 dd";         // 0  Ethernet: dst, src, EtherType IPv6

    /// <summary>IPv4 192.0.2.1 -> 198.51.100.2, UDP 55555 -> 53, 4 payload octets (32 octets in all).</summary>
    public const string IPv4Udp =
        "45 00 00 20 00 01 00 00 40 11 00 00" +              // 0  IPv4: IHL 5, total 32, id 1, TTL 64, UDP
        "c0 00 02 01 c6 33 64 02" +                          // 12 192.0.2.1 -> 198.51.100.2
        "d9 03 00 35 00 0c 00 00" +                          // 20 UDP 55555 -> 53, length 12
        "01 02 03 04";                                       // 28 payload

    /// <summary>IPv6 2001:db8::1 -> 2001:db8::2, UDP 55555 -> 53, 4 payload octets (52 octets in all).</summary>
    public const string IPv6Udp =
        "60 00 00 00 00 0c 11 40" +                          // 0  IPv6: payload length 12, next header UDP, hop limit 64
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" +  // 8  2001:db8::1
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02" +  // 24 2001:db8::2
        "d9 03 00 35 00 0c 00 00" +                          // 40 UDP 55555 -> 53, length 12
        "01 02 03 04";                                       // 48 payload

    public static readonly byte[] EthernetIPv4Udp = Hex.Parse(EthernetToIPv4 + IPv4Udp);

    public static readonly byte[] EthernetIPv6Udp = Hex.Parse(EthernetToIPv6 + IPv6Udp);

    /// <summary>TCP SYN 49153 -> 80 with 12 octets of options (data offset 8).</summary>
    public static readonly byte[] EthernetIPv4Tcp = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 34 00 02 40 00 40 06 00 00" +              // 14 IPv4: total 52, DF, TTL 64, TCP
        "c0 00 02 01 c6 33 64 02" +                          // 26 192.0.2.1 -> 198.51.100.2
        "c0 01 00 50 00 00 00 01 00 00 00 00" +              // 34 TCP 49153 -> 80, seq 1, ack 0
        "80 02 ff ff 00 00 00 00" +                          // 46 data offset 8 (32 octets), SYN, window, checksum, urgent
        "02 04 05 b4 01 01 04 02 01 03 03 07");              // 54 MSS 1460, NOP NOP SACK-permitted, NOP window scale 7

    /// <summary>Native ESP (IP protocol 50), SPI 0x1001, sequence 7, 8 octets after the header, then 10 octets of
    /// Ethernet padding that are not part of the datagram.</summary>
    public static readonly byte[] EthernetIPv4Esp = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 24 00 03 00 00 40 32 00 00" +              // 14 IPv4: total 36, TTL 64, ESP
        "c0 00 02 01 c6 33 64 02" +                          // 26 192.0.2.1 -> 198.51.100.2
        "00 00 10 01 00 00 00 07" +                          // 34 ESP SPI 0x1001, sequence 7
        "de ad be ef de ad be ef" +                          // 42 ciphertext / trailer / ICV
        "00 00 00 00 00 00 00 00 00 00");                    // 50 Ethernet padding to 60 octets

    /// <summary>UDP-encapsulated ESP (RFC 3948) 4500 -> 4500, SPI 0xb002, sequence 1.</summary>
    public static readonly byte[] EthernetIPv4UdpEsp = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 2c 00 04 00 00 40 11 00 00" +              // 14 IPv4: total 44, UDP
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "11 94 11 94 00 18 00 00" +                          // 34 UDP 4500 -> 4500, length 24
        "00 00 b0 02 00 00 00 01" +                          // 42 ESP SPI 0xb002, sequence 1
        "de ad be ef de ad be ef");                          // 50 rest of ESP

    /// <summary>IPv6 ESP, SPI 0xc003, sequence 2.</summary>
    public static readonly byte[] EthernetIPv6Esp = Hex.Parse(
        EthernetToIPv6 +
        "60 00 00 00 00 10 32 40" +                          // 14 IPv6: payload length 16, next header ESP
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" +  // 22 2001:db8::1
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02" +  // 38 2001:db8::2
        "00 00 c0 03 00 00 00 02" +                          // 54 ESP SPI 0xc003, sequence 2
        "de ad be ef de ad be ef");                          // 62 rest of ESP

    /// <summary>IPv4 AH (RFC 4302) with a 12-octet ICV protecting ESP.</summary>
    public static readonly byte[] EthernetIPv4AhEsp = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 3c 00 05 00 00 40 33 00 00" +              // 14 IPv4: total 60, AH
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "32 04 00 00 00 00 a0 0a 00 00 00 01" +              // 34 AH: next header ESP, payload len 4 (24 octets), SPI 0xa00a, seq 1
        "00 00 00 00 00 00 00 00 00 00 00 00" +              // 46 AH ICV (12 octets)
        "00 00 10 01 00 00 00 09" +                          // 58 ESP SPI 0x1001, sequence 9
        "de ad be ef de ad be ef");                          // 66 rest of ESP

    /// <summary>IPv6 Hop-by-Hop (router alert) then an ICMPv6 MLDv2 report header.</summary>
    public static readonly byte[] EthernetIPv6HopByHopIcmpV6 = Hex.Parse(
        EthernetToIPv6 +
        "60 00 00 00 00 10 00 01" +                          // 14 IPv6: payload length 16, next header Hop-by-Hop, hop limit 1
        "fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01" +  // 22 fe80::1
        "ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 16" +  // 38 ff02::16
        "3a 00 05 02 00 00 01 00" +                          // 54 Hop-by-Hop: next ICMPv6, length 0 (8 octets), router alert, PadN
        "8f 00 00 00 00 00 00 00");                          // 62 ICMPv6 type 143 (MLDv2 report), code 0

    /// <summary>ICMP echo request with 4 octets of data.</summary>
    public static readonly byte[] EthernetIPv4Icmp = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 20 00 06 00 00 40 01 00 00" +              // 14 IPv4: total 32, ICMP
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "08 00 00 00 00 01 00 01" +                          // 34 ICMP echo request, id 1, seq 1
        "61 62 63 64");                                      // 42 data

    /// <summary>First fragment (MF set) of a UDP datagram; id 0xabcd.</summary>
    public static readonly byte[] EthernetIPv4FirstFragment = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 24 ab cd 20 00 40 11 00 00" +              // 14 IPv4: total 36, id 0xabcd, MF, offset 0, UDP
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "11 94 11 94 05 dc 00 00" +                          // 34 UDP header of the whole datagram (length 1500)
        "00 00 00 00 00 00 00 00");                          // 42 first data octets

    /// <summary>IKE on UDP 500: a 28-octet IKEv2 header (IKE_SA_INIT request).</summary>
    public static readonly byte[] EthernetIPv4Ike500 = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 38 00 07 00 00 40 11 00 00" +              // 14 IPv4: total 56, UDP
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "01 f4 01 f4 00 24 00 00" +                          // 34 UDP 500 -> 500, length 36
        "01 02 03 04 05 06 07 08 00 00 00 00 00 00 00 00" +  // 42 IKE initiator SPI, responder SPI 0
        "21 20 22 08 00 00 00 00 00 00 00 1c");              // 58 next payload SA, version 2.0, IKE_SA_INIT, I, msg id 0, length 28

    /// <summary>IKE on UDP 4500 after the non-ESP marker.</summary>
    public static readonly byte[] EthernetIPv4Ike4500 = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 3c 00 08 00 00 40 11 00 00" +              // 14 IPv4: total 60, UDP
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "11 94 11 94 00 28 00 00" +                          // 34 UDP 4500 -> 4500, length 40
        "00 00 00 00" +                                      // 42 non-ESP marker
        "01 02 03 04 05 06 07 08 11 12 13 14 15 16 17 18" +  // 46 IKE SPIs
        "2e 20 23 08 00 00 00 01 00 00 00 1c");              // 62 next payload SK, IKE_AUTH, I, msg id 1, length 28

    /// <summary>NAT-keepalive: one 0xFF octet on UDP 4500 (RFC 3948 §2.3), padded to 60 octets by Ethernet.</summary>
    public static readonly byte[] EthernetIPv4NatKeepalive = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 1d 00 09 00 00 40 11 00 00" +              // 14 IPv4: total 29, UDP
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "11 94 11 94 00 09 00 00" +                          // 34 UDP 4500 -> 4500, length 9
        "ff" +                                               // 42 keepalive
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"); // 43 Ethernet padding

    /// <summary>UDP-encapsulated WESP (RFC 5840 §2.1): protocol identifier 2, then the WESP header and ESP.</summary>
    public static readonly byte[] EthernetIPv4UdpWesp = Hex.Parse(
        EthernetToIPv4 +
        "45 00 00 30 00 0a 00 00 40 11 00 00" +              // 14 IPv4: total 48, UDP
        "c0 00 02 01 c6 33 64 02" +                          // 26
        "11 94 11 94 00 1c 00 00" +                          // 34 UDP 4500 -> 4500, length 28
        "00 00 00 02" +                                      // 42 WESP protocol identifier
        "06 0c 0c 00" +                                      // 46 WESP: next header TCP, HdrLen 12, TrailerLen 12, flags 0
        "00 00 d0 04 00 00 00 03" +                          // 50 ESP SPI 0xd004, sequence 3
        "de ad be ef");                                      // 58 rest of ESP

    /// <summary>Native WESP over IPv6 (IP protocol 141) with the padding word (P flag).</summary>
    public static readonly byte[] EthernetIPv6Wesp = Hex.Parse(
        EthernetToIPv6 +
        "60 00 00 00 00 18 8d 40" +                          // 14 IPv6: payload length 24, next header WESP (141)
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" +  // 22
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02" +  // 38
        "06 10 0c 10 00 00 00 00" +                          // 54 WESP: next header TCP, HdrLen 16, TrailerLen 12, P, padding
        "00 00 d0 05 00 00 00 04" +                          // 62 ESP SPI 0xd005, sequence 4
        "de ad be ef de ad be ef");                          // 70 rest of ESP

    /// <summary>QinQ: 802.1ad S-tag 200, 802.1Q C-tag 2001, then the IPv4 UDP datagram.</summary>
    public static readonly byte[] EthernetQinQIPv4Udp = Hex.Parse(
        "02 00 00 00 00 02 02 00 00 00 00 01 88 a8" +        // 0  Ethernet, TPID 802.1ad
        "00 c8 81 00" +                                      // 14 S-tag VLAN 200, TPID 802.1Q
        "07 d1 08 00" +                                      // 18 C-tag VLAN 2001, EtherType IPv4
        IPv4Udp);                                            // 22

    /// <summary>ARP request: not IP, decoded to the link layer only.</summary>
    public static readonly byte[] EthernetArp = Hex.Parse(
        "ff ff ff ff ff ff 02 00 00 00 00 01 08 06" +        // 0  Ethernet broadcast, EtherType ARP
        "00 01 08 00 06 04 00 01 02 00 00 00 00 01" +        // 14 Ethernet/IPv4 request, sender MAC
        "c0 00 02 01 00 00 00 00 00 00 c6 33 64 02");        // 28 sender IP, target MAC, target IP

    /// <summary>Every sample with its link type.</summary>
    public static IReadOnlyList<(string Name, LinkType LinkType, byte[] Frame)> All { get; } =
    [
        (nameof(EthernetIPv4Udp), LinkType.Ethernet, EthernetIPv4Udp),
        (nameof(EthernetIPv6Udp), LinkType.Ethernet, EthernetIPv6Udp),
        (nameof(EthernetIPv4Tcp), LinkType.Ethernet, EthernetIPv4Tcp),
        (nameof(EthernetIPv4Esp), LinkType.Ethernet, EthernetIPv4Esp),
        (nameof(EthernetIPv4UdpEsp), LinkType.Ethernet, EthernetIPv4UdpEsp),
        (nameof(EthernetIPv6Esp), LinkType.Ethernet, EthernetIPv6Esp),
        (nameof(EthernetIPv4AhEsp), LinkType.Ethernet, EthernetIPv4AhEsp),
        (nameof(EthernetIPv6HopByHopIcmpV6), LinkType.Ethernet, EthernetIPv6HopByHopIcmpV6),
        (nameof(EthernetIPv4Icmp), LinkType.Ethernet, EthernetIPv4Icmp),
        (nameof(EthernetIPv4FirstFragment), LinkType.Ethernet, EthernetIPv4FirstFragment),
        (nameof(EthernetIPv4Ike500), LinkType.Ethernet, EthernetIPv4Ike500),
        (nameof(EthernetIPv4Ike4500), LinkType.Ethernet, EthernetIPv4Ike4500),
        (nameof(EthernetIPv4NatKeepalive), LinkType.Ethernet, EthernetIPv4NatKeepalive),
        (nameof(EthernetIPv4UdpWesp), LinkType.Ethernet, EthernetIPv4UdpWesp),
        (nameof(EthernetIPv6Wesp), LinkType.Ethernet, EthernetIPv6Wesp),
        (nameof(EthernetQinQIPv4Udp), LinkType.Ethernet, EthernetQinQIPv4Udp),
        (nameof(EthernetArp), LinkType.Ethernet, EthernetArp),
        ("RawIPv4Udp", LinkType.Raw, Hex.Parse(IPv4Udp)),
        ("RawIPv6Udp", LinkType.Raw, Hex.Parse(IPv6Udp)),
        ("NullIPv4Udp", LinkType.Null, Hex.Parse("02 00 00 00" + IPv4Udp)),
        ("LoopIPv6Udp", LinkType.Loop, Hex.Parse("00 00 00 18" + IPv6Udp)),
        ("LinuxSllIPv4Udp", LinkType.LinuxSll, Hex.Parse("00 00 00 01 00 06 02 00 00 00 00 01 00 00 08 00" + IPv4Udp)),
        ("LinuxSll2IPv6Udp", LinkType.LinuxSll2, Hex.Parse("86 dd 00 00 00 00 00 02 00 01 00 06 02 00 00 00 00 01 00 00" + IPv6Udp)),
    ];

    /// <summary>Sample names, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach ((string name, _, _) in All)
        {
            data.Add(name);
        }
        return data;
    }

    public static (string Name, LinkType LinkType, byte[] Frame) Get(string name) => All.Single(s => s.Name == name);
}
