using System.Buffers.Binary;

namespace Visibility.Wire.Esp;

/// <summary>View over a WESP packet (RFC 5840): the WESP header, the ESP packet it wraps and, for integrity-only
/// ESP, the cleartext and ESP trailer the header points at.</summary>
/// <remarks>
/// RFC 5840 §2, Figure 2 (native form, IP protocol 141); offsets from the first WESP octet:
/// <code>
///   0               1               2               3
///  +---------------+---------------+---------------+---------------+
///  |  Next Header  |    HdrLen     |  TrailerLen   |     Flags     |   Flags: V V E P R R R R
///  +---------------+---------------+---------------+---------------+          (0xC0 version,
///  |          Padding (present only when P = 1, i.e. IPv6)          |           0x20 E, 0x10 P,
///  +---------------+---------------+---------------+---------------+           0x0F reserved)
///  |  ESP: SPI, Sequence Number, IV, payload, trailer, ICV (unchanged) ...
/// </code>
/// RFC 5840 §2.1: over UDP (normally port 4500) the header follows a 4-octet Protocol Identifier 0x00000002; the span
/// given here starts after that identifier. The RFC requires P = 1 over IPv6 and P = 0 over IPv4, and says the padding
/// is not needed for UDP-encapsulated WESP over IPv6; over UDP/IPv6 both forms are accepted (protocol-facts §2.5).
/// HdrLen must be a multiple of 8 "with IPv6"; this is applied whenever P = 1, which covers native IPv6 and the padded
/// UDP form, and not to unpadded UDP/IPv6, whose natural HdrLen is 12 + IV length (the RFC's text conflicts there).
/// For integrity-only ESP (E = 0): HdrLen = octets from the first WESP octet to the first octet of the payload (past
/// WESP header, padding, SPI, Sequence Number and IV); TrailerLen = ICV length; Next Header = the ESP trailer's Next
/// Header. For encrypted ESP (E = 1) all three must be zero. Reserved bits are ignored by receivers (§2), so they do not
/// fail <see cref="TryRead(ReadOnlySpan{byte}, bool, out WespHeader, out DecodeAnomaly)"/>; see <see cref="Reserved"/>.
/// The WESP header lies outside the ESP ICV (§2.2 figures, §3): nothing but these consistency checks protects it.
/// </remarks>
public readonly ref struct WespHeader
{
    /// <summary>Next Header, HdrLen, TrailerLen, Flags.</summary>
    public const int FixedLength = 4;

    /// <summary>The optional padding word (P = 1).</summary>
    public const int PaddingLength = 4;

    /// <summary>The only version defined (RFC 5840 §2, §4).</summary>
    public const int SupportedVersion = 0;

    /// <summary>Smallest HdrLen for integrity-only ESP (RFC 5840 §2): WESP header, SPI and Sequence Number.</summary>
    public const int MinimumHdrLen = 12;

    public const byte VersionMask = 0xC0;
    public const byte EncryptedFlag = 0x20;
    public const byte PaddingFlag = 0x10;
    public const byte ReservedMask = 0x0F;

    /// <summary>The 4-octet identifier in front of UDP-encapsulated WESP (RFC 5840 §2.1, §4).</summary>
    public const uint UdpProtocolIdentifier = 2;

    private const int EspHeaderLength = 8;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly bool _trailerChecked;

    private WespHeader(ReadOnlySpan<byte> packet, bool trailerChecked)
    {
        _packet = packet;
        _trailerChecked = trailerChecked;
    }

    /// <summary>Reads and checks a native WESP packet (IP protocol 141) that holds everything up to the end of the ICV.</summary>
    /// <param name="wesp">From the first WESP octet to the end of the ESP ICV.</param>
    /// <param name="ipv6">The carrying IP header is IPv6.</param>
    /// <param name="header">The view; on failure it still exposes the four fixed octets when they were present.</param>
    /// <param name="anomaly">Why the packet failed; <see cref="DecodeAnomaly.None"/> on success.</param>
    public static bool TryRead(ReadOnlySpan<byte> wesp, bool ipv6, out WespHeader header, out DecodeAnomaly anomaly) =>
        TryRead(wesp, ipv6, udpEncapsulated: false, out header, out anomaly);

    /// <summary>Reads and checks a WESP packet that holds everything up to the end of the ICV, native or
    /// UDP-encapsulated (span starting after the 0x00000002 identifier). For E = 0 it also checks the ESP trailer the
    /// header points at: its Next Header must equal the WESP Next Header and its Pad Length must fit.</summary>
    public static bool TryRead(ReadOnlySpan<byte> wesp, bool ipv6, bool udpEncapsulated, out WespHeader header, out DecodeAnomaly anomaly)
    {
        if (!TryReadHeader(wesp, ipv6, udpEncapsulated, out header, out anomaly))
        {
            return false;
        }
        if (header.Encrypted)
        {
            return true;
        }
        int hdrLen = header.HdrLen;
        int trailerLen = header.TrailerLen;
        if (hdrLen > wesp.Length)
        {
            anomaly = DecodeAnomaly.WespBadHeaderLength;
            return false;
        }
        if (wesp.Length - hdrLen < trailerLen + 2)
        {
            anomaly = DecodeAnomaly.WespBadTrailerLength;
            return false;
        }
        int icvStart = wesp.Length - trailerLen;
        if (wesp[icvStart - 1] != header.NextHeader)
        {
            anomaly = DecodeAnomaly.WespBadNextHeader;
            return false;
        }
        if (icvStart - 2 - wesp[icvStart - 2] < hdrLen)
        {
            anomaly = DecodeAnomaly.EspBadTrailer;
            return false;
        }
        header = new WespHeader(wesp, trailerChecked: true);
        return true;
    }

    /// <summary>Checks only what the header itself says (version, flags against the carrier, HdrLen and TrailerLen rules,
    /// room for the ESP header): for packets whose end was not captured. The trailer properties stay zero.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> wesp, bool ipv6, bool udpEncapsulated, out WespHeader header, out DecodeAnomaly anomaly)
    {
        header = default;
        if (wesp.Length < FixedLength)
        {
            anomaly = DecodeAnomaly.WespPacketTooSmall;
            return false;
        }
        header = new WespHeader(wesp, trailerChecked: false);
        if (header.Version != SupportedVersion)
        {
            anomaly = DecodeAnomaly.WespBadVersion;
            return false;
        }
        bool padded = header.PaddingPresent;
        // Native IPv6 needs the padding word, IPv4 must not have it; UDP over IPv6 may go either way (protocol-facts §2.5).
        bool paddingAllowed = ipv6 ? padded || udpEncapsulated : !padded;
        if (!paddingAllowed)
        {
            anomaly = DecodeAnomaly.WespBadPadding;
            return false;
        }
        if (wesp.Length < header.EspOffset + EspHeaderLength)
        {
            anomaly = DecodeAnomaly.WespPacketTooSmall;
            return false;
        }
        if (header.Encrypted)
        {
            anomaly = header.NextHeader != 0 ? DecodeAnomaly.WespBadNextHeader
                : header.HdrLen != 0 ? DecodeAnomaly.WespBadHeaderLength
                : header.TrailerLen != 0 ? DecodeAnomaly.WespBadTrailerLength
                : DecodeAnomaly.None;
            return anomaly == DecodeAnomaly.None;
        }
        int hdrLen = header.HdrLen;
        // Less than 12 (16 with the padding word, which HdrLen also spans) would point into the SPI or Sequence Number.
        if (hdrLen < header.EspOffset + EspHeaderLength || hdrLen % 4 != 0 || (padded && hdrLen % 8 != 0))
        {
            anomaly = DecodeAnomaly.WespBadHeaderLength;
            return false;
        }
        anomaly = DecodeAnomaly.None;
        return true;
    }

    public byte NextHeader => At(0);

    /// <summary>Octets from the first WESP octet to the payload (E = 0); 0 for encrypted ESP.</summary>
    public byte HdrLen => At(1);

    /// <summary>The ICV length of the SA (E = 0); 0 for encrypted ESP.</summary>
    public byte TrailerLen => At(2);

    public byte Flags => At(3);

    /// <summary>Bits 0-1 of Flags.</summary>
    public int Version => Flags >> 6;

    /// <summary>E: the ESP payload is encrypted.</summary>
    public bool Encrypted => (Flags & EncryptedFlag) != 0;

    /// <summary>P: the 4-octet padding word follows the fixed header.</summary>
    public bool PaddingPresent => (Flags & PaddingFlag) != 0;

    /// <summary>Bits 4-7 of Flags: sent as zero, ignored by receivers (RFC 5840 §2); a middlebox may flag them.</summary>
    public int Reserved => Flags & ReservedMask;

    /// <summary>Offset of the ESP SPI from the first WESP octet: 4, or 8 with the padding word.</summary>
    public int EspOffset => PaddingPresent ? FixedLength + PaddingLength : FixedLength;

    /// <summary>The wrapped ESP packet, from its SPI.</summary>
    public ReadOnlySpan<byte> Esp => _packet.Length >= EspOffset ? _packet[EspOffset..] : default;

    public uint Spi => _packet.Length >= EspOffset + 4 ? BinaryPrimitives.ReadUInt32BigEndian(_packet[EspOffset..]) : 0;

    public uint SequenceNumber => _packet.Length >= EspOffset + 8 ? BinaryPrimitives.ReadUInt32BigEndian(_packet[(EspOffset + 4)..]) : 0;

    /// <summary>IV length implied by HdrLen for integrity-only ESP; 0 for encrypted ESP, where it is not stated.</summary>
    public int IvLength => Encrypted ? 0 : Math.Max(0, HdrLen - EspOffset - EspHeaderLength);

    /// <summary>True when the ESP trailer was checked (E = 0, read with <c>TryRead</c>); the trailer properties need it.</summary>
    public bool HasTrailer => _trailerChecked;

    /// <summary>The ESP trailer's Next Header (equal to <see cref="NextHeader"/> after a successful read).</summary>
    public byte TrailerNextHeader => _trailerChecked ? _packet[^(TrailerLen + 1)] : (byte)0;

    public byte PadLength => _trailerChecked ? _packet[^(TrailerLen + 2)] : (byte)0;

    /// <summary>Offset of the cleartext from the first WESP octet (E = 0): HdrLen.</summary>
    public int CleartextOffset => Encrypted ? 0 : HdrLen;

    /// <summary>Cleartext length up to the ESP padding (may include TFC padding); 0 without a checked trailer.</summary>
    public int CleartextLength => _trailerChecked ? _packet.Length - TrailerLen - 2 - PadLength - HdrLen : 0;

    public ReadOnlySpan<byte> Cleartext => _trailerChecked ? _packet.Slice(CleartextOffset, CleartextLength) : default;

    private byte At(int index) => (uint)index < (uint)_packet.Length ? _packet[index] : (byte)0;
}
