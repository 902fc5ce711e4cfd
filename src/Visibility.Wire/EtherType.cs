namespace Visibility.Wire;

/// <summary>IEEE EtherType values the decoder dispatches on.</summary>
public enum EtherType : ushort
{
    IPv4 = 0x0800,
    Arp = 0x0806,
    Vlan = 0x8100,
    IPv6 = 0x86DD,
    QinQ = 0x88A8,
    /// <summary>Pre-standard 802.1ad tag protocol identifier still seen on some switches.</summary>
    QinQLegacy = 0x9100,
}
