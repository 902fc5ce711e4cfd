namespace Visibility.IkePeer.Protocol;

/// <summary>
/// The few IANA IKEv2 numbers the peer uses (RFC 7296 §3 and the IKEv2 registries), as constants.
/// </summary>
/// <remarks>
/// Kept in this one place on purpose: the names follow the enums of <c>Visibility.Wire.Ike</c>
/// (<c>IkePayloadType</c>, <c>IkeExchangeType</c>, <c>IkeNotifyType</c>, ...) so that uses can move to
/// those enums without touching the logic.
/// </remarks>
internal static class PeerIana
{
    // Exchange types [RFC 7296 §3.1].
    public const byte IkeSaInit = 34;
    public const byte IkeAuth = 35;
    public const byte CreateChildSa = 36;
    public const byte Informational = 37;

    // Header flags [RFC 7296 §3.1].
    public const byte FlagInitiator = 0x08;
    public const byte FlagResponse = 0x20;

    // Payload types [RFC 7296 §3.2].
    public const byte PayloadNone = 0;
    public const byte PayloadSecurityAssociation = 33;
    public const byte PayloadKeyExchange = 34;
    public const byte PayloadIdentificationInitiator = 35;
    public const byte PayloadIdentificationResponder = 36;
    public const byte PayloadCertificateRequest = 38;
    public const byte PayloadAuthentication = 39;
    public const byte PayloadNonce = 40;
    public const byte PayloadNotify = 41;
    public const byte PayloadDelete = 42;
    public const byte PayloadVendorId = 43;
    public const byte PayloadTrafficSelectorInitiator = 44;
    public const byte PayloadTrafficSelectorResponder = 45;
    public const byte PayloadEncrypted = 46;
    public const byte PayloadConfiguration = 47;

    // Protocol IDs [RFC 7296 §3.3.1].
    public const byte ProtocolIke = 1;
    public const byte ProtocolEsp = 3;

    // Transform types [RFC 7296 §3.3.2].
    public const byte TransformEncryption = 1;
    public const byte TransformPrf = 2;
    public const byte TransformIntegrity = 3;
    public const byte TransformDiffieHellman = 4;
    public const byte TransformEsn = 5;

    // Transform attribute Key Length, TV form [RFC 7296 §3.3.5].
    public const ushort AttributeKeyLength = 14;

    // Encryption transform IDs [RFC 7296 §3.3.2; RFC 5282 §7].
    public const ushort EncrNull = 11;
    public const ushort EncrAesCbc = 12;
    public const ushort EncrAesGcm8 = 18;
    public const ushort EncrAesGcm12 = 19;
    public const ushort EncrAesGcm16 = 20;

    // PRF transform IDs [RFC 7296 §3.3.2; RFC 4868 §4].
    public const ushort PrfHmacSha1 = 2;
    public const ushort PrfHmacSha2_256 = 5;
    public const ushort PrfHmacSha2_384 = 6;
    public const ushort PrfHmacSha2_512 = 7;

    // Integrity transform IDs [RFC 7296 §3.3.2; RFC 4868 §4].
    public const ushort IntegNone = 0;
    public const ushort IntegHmacSha1_96 = 2;
    public const ushort IntegHmacSha2_256_128 = 12;
    public const ushort IntegHmacSha2_384_192 = 13;
    public const ushort IntegHmacSha2_512_256 = 14;

    // Key exchange methods [RFC 7296 §3.3.2; RFC 5903; RFC 8031].
    public const ushort DhModp2048 = 14;
    public const ushort DhModp3072 = 15;
    public const ushort DhEcp256 = 19;
    public const ushort DhEcp384 = 20;
    public const ushort DhEcp521 = 21;
    public const ushort DhCurve25519 = 31;

    // ID types [RFC 7296 §3.5].
    public const byte IdIPv4Address = 1;
    public const byte IdFqdn = 2;
    public const byte IdRfc822Address = 3;
    public const byte IdIPv6Address = 5;
    public const byte IdKeyId = 11;

    // AUTH method [RFC 7296 §3.8].
    public const byte AuthSharedKeyMessageIntegrityCode = 2;

    // Traffic selector types [RFC 7296 §3.13.1].
    public const byte TsIPv4AddressRange = 7;
    public const byte TsIPv6AddressRange = 8;

    // Notify message types [RFC 7296 §3.10.1].
    public const ushort NotifyUnsupportedCriticalPayload = 1;
    public const ushort NotifyInvalidIkeSpi = 4;
    public const ushort NotifyInvalidSyntax = 7;
    public const ushort NotifyInvalidMessageId = 9;
    public const ushort NotifyNoProposalChosen = 14;
    public const ushort NotifyInvalidKePayload = 17;
    public const ushort NotifyAuthenticationFailed = 24;
    public const ushort NotifyNoAdditionalSas = 35;
    public const ushort NotifyTsUnacceptable = 38;
    public const ushort NotifyInitialContact = 16384;
    public const ushort NotifyNatDetectionSourceIp = 16388;
    public const ushort NotifyNatDetectionDestinationIp = 16389;
    public const ushort NotifyCookie = 16390;
    public const ushort NotifyUseTransportMode = 16391;
    public const ushort NotifyEspTfcPaddingNotSupported = 16394;

    /// <summary>First status type; lower Notify types are errors [RFC 7296 §3.10.1].</summary>
    public const ushort NotifyFirstStatus = 16384;
}
