using Visibility.Wire;
using Visibility.Wire.Esp;

namespace Visibility.IkePeer.Esp;

/// <summary>Wraps the ESP packets of a WESP Child SA in the WESP header and checks that header on receipt (RFC 5840).</summary>
/// <remarks>
/// RFC 5840 §2 (header), §2.1 (over UDP: after the Protocol Identifier 0x00000002, no padding word):
/// <code>
/// | Next Header | HdrLen | TrailerLen | Flags (V V E P R R R R) | [Padding (4), P = 1] | ESP packet, unchanged ...
/// </code>
/// The padding word is present (P = 1) for native WESP over IPv6 only, which keeps the ESP header 8-octet aligned.
/// Integrity-only ESP (ENCR_NULL, ENCR_NULL_AUTH_AES_GMAC), E = 0: Next Header = the ESP trailer's Next Header, HdrLen = 4 (+ 4) + 8 + IV length,
/// TrailerLen = ICV length. Encrypted ESP, E = 1: the three fields are 0. The receiver drops a header whose fields differ
/// from what the negotiated SA implies (§2, protocol-facts §2.8).
/// </remarks>
internal static class WespWrapper
{
    /// <summary>The WESP header for an ESP packet of <paramref name="sa"/> carrying <paramref name="nextHeader"/>: 4 octets,
    /// or 8 with the zero padding word when <paramref name="padded"/> (native WESP over IPv6, RFC 5840 §2).</summary>
    public static byte[] Wrap(EspSa sa, byte nextHeader, ReadOnlySpan<byte> esp, bool padded = false)
    {
        var espOffset = WespHeader.FixedLength + (padded ? WespHeader.PaddingLength : 0);
        var packet = new byte[espOffset + esp.Length];
        var flags = padded ? WespHeader.PaddingFlag : (byte)0;
        if (sa.Suite.Encryption.IsIntegrityOnly)
        {
            packet[0] = nextHeader;
            packet[1] = (byte)(espOffset + 8 + sa.Suite.Encryption.IvLength);
            packet[2] = (byte)sa.IcvLength;
            packet[3] = flags;
        }
        else
        {
            packet[3] = (byte)(WespHeader.EncryptedFlag | flags);
        }

        esp.CopyTo(packet.AsSpan(espOffset));
        return packet;
    }

    /// <summary>Checks a WESP header read with <see cref="WespHeader.TryRead(ReadOnlySpan{byte}, bool, bool, out WespHeader, out DecodeAnomaly)"/>
    /// against the SA its SPI names; false with the reason when a field differs from what the SA implies.</summary>
    public static bool Matches(WespHeader header, EspSa sa, out string reason)
    {
        var integrityOnly = sa.Suite.Encryption.IsIntegrityOnly;
        if (header.Version != WespHeader.SupportedVersion || header.Encrypted == integrityOnly)
        {
            reason = $"version {header.Version} or E={(header.Encrypted ? 1 : 0)} does not match the SA";
            return false;
        }

        if (integrityOnly && (header.HdrLen != header.EspOffset + 8 + sa.Suite.Encryption.IvLength || header.TrailerLen != sa.IcvLength))
        {
            reason = $"HdrLen {header.HdrLen} or TrailerLen {header.TrailerLen} does not match the SA";
            return false;
        }

        reason = string.Empty;
        return true;
    }
}
