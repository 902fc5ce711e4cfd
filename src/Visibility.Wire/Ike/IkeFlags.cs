namespace Visibility.Wire.Ike;

/// <summary>The IKE header Flags octet (offset 19).</summary>
/// <remarks>RFC 7296 §3.1: bits numbered from the most significant: R (bit 2, 0x20) response, V (bit 3, 0x10)
/// higher version, I (bit 4, 0x08) original initiator; the other bits are reserved (send 0, ignore).
/// IKEv1 (RFC 2408 §3.1) uses E 0x01, C 0x02, A 0x04 in the same octet.</remarks>
[Flags]
public enum IkeFlags : byte
{
    None = 0,
    Initiator = 0x08,
    Version = 0x10,
    Response = 0x20,
}
