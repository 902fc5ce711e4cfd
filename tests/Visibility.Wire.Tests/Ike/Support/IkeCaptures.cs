namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>The captures under captures/public that the IKE tests read (see captures/README.md).</summary>
internal static class IkeCaptures
{
    /// <summary>Captures with an oracle file (tshark saw IKE in them).</summary>
    public static readonly string[] WithOracle =
    [
        "tcpdump__tests__ikev2four.pcap",
        "tcpdump__tests__ikev2pI2.pcap",
        "tcpdump__tests__ikev2-id-normal.pcap",
        "tcpdump__tests__ikev2pI2-segfault.pcapng",
        "nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap",
        "nDPI__tests__cfgs__default__pcap__esp.pcapng",
        "nDPI__tests__cfgs__default__pcap__ah.pcapng",
        "zeek-spicy-ipsec__tests__traces__ipsec_client.pcap",
        "suricata-verify__ikev2-weak-dh__IKEv2_SA_INIT_2-8-weak.pcap",
        "tcpdump__tests__isakmp4500.pcap",
        "suricata-verify__ikev1-rules__ikev1-isakmp-main-mode.pcap",
        "zeek-spicy-ipsec__tests__traces__ipsec-ikev1-isakmp-aggressive-mode.pcap",
        "zeek-spicy-ipsec__tests__traces__ipsec-ikev1-payload-bad-length.pcap",
        "tcpdump__tests__ISAKMP_sa_setup.pcap",
        "tcpdump__tests__isakmp-no-none-np.pcapng",
    ];

    /// <summary>Every IKE-related capture, including the fuzz reproducers tshark finds no IKE in.</summary>
    public static readonly string[] All =
    [
        .. WithOracle,
        "zeek-spicy-ipsec__tests__traces__ipsec-ikev1-zero-length.pcap",
        "tcpdump__tests__isakmp-rfc3948-oobr.pcap",
        "tcpdump__tests__isakmp-3948-oobr-2.pcap",
    ];

    public static TheoryData<string> WithOracleData() => [.. WithOracle];
}
