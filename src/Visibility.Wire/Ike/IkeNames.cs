namespace Visibility.Wire.Ike;

/// <summary>IANA names of the IKEv2 registry values, as EVE writes them.</summary>
/// <remarks>Assigned values map to constant strings. Unassigned values are named <c>UNKNOWN_&lt;n&gt;</c> (decimal),
/// built once per number and cached (<see cref="UnknownNameCache"/>), so no lookup allocates after the first
/// sight of a number. Payload types use RFC 7296's short notation (SA, KE, IDi, ... SK, SKF).</remarks>
public static class IkeNames
{
    private static readonly UnknownNameCache s_exchange = new();
    private static readonly UnknownNameCache s_payload = new();
    private static readonly UnknownNameCache s_notify = new();
    private static readonly UnknownNameCache s_transform = new();
    private static readonly UnknownNameCache s_encryption = new();
    private static readonly UnknownNameCache s_integrity = new();
    private static readonly UnknownNameCache s_prf = new();
    private static readonly UnknownNameCache s_dhGroup = new();
    private static readonly UnknownNameCache s_authMethod = new();
    private static readonly UnknownNameCache s_idType = new();
    private static readonly UnknownNameCache s_protocol = new();

    /// <summary>IANA name of an exchange type, e.g. <c>IKE_SA_INIT</c>.</summary>
    public static string GetName(IkeExchangeType value) => TryGetKnownName(value) ?? s_exchange.Get((int)value);

    /// <summary>RFC 7296 short notation of a payload type, e.g. <c>SA</c>, <c>N</c>, <c>SK</c>; 0 is <c>NONE</c>.</summary>
    public static string GetName(IkePayloadType value) => TryGetKnownName(value) ?? s_payload.Get((int)value);

    /// <summary>IANA name of a notify message type, e.g. <c>INVALID_KE_PAYLOAD</c>.</summary>
    public static string GetName(IkeNotifyType value) => TryGetKnownName(value) ?? s_notify.Get((int)value);

    /// <summary>IANA abbreviation of a transform type: ENCR, PRF, INTEG, KE, ESN, ADDKE1-ADDKE7.</summary>
    public static string GetName(TransformType value) => TryGetKnownName(value) ?? s_transform.Get((int)value);

    /// <summary>IANA name of an encryption transform, e.g. <c>ENCR_AES_GCM_16</c>.</summary>
    public static string GetName(EncryptionAlgorithm value) => TryGetKnownName(value) ?? s_encryption.Get((int)value);

    /// <summary>IANA name of an integrity transform, e.g. <c>AUTH_HMAC_SHA2_256_128</c>.</summary>
    public static string GetName(IntegrityAlgorithm value) => TryGetKnownName(value) ?? s_integrity.Get((int)value);

    /// <summary>IANA name of a PRF transform, e.g. <c>PRF_HMAC_SHA2_256</c>.</summary>
    public static string GetName(PrfAlgorithm value) => TryGetKnownName(value) ?? s_prf.Get((int)value);

    /// <summary>IANA name of a key exchange method, e.g. <c>2048-bit MODP Group</c>.</summary>
    public static string GetName(DhGroup value) => TryGetKnownName(value) ?? s_dhGroup.Get((int)value);

    /// <summary>IANA name of an authentication method, e.g. <c>Shared Key Message Integrity Code</c>.</summary>
    public static string GetName(AuthMethod value) => TryGetKnownName(value) ?? s_authMethod.Get((int)value);

    /// <summary>IANA name of an identification type, e.g. <c>ID_FQDN</c>.</summary>
    public static string GetName(IdType value) => TryGetKnownName(value) ?? s_idType.Get((int)value);

    /// <summary>IANA name of a security protocol identifier: IKE, AH, ESP, ...</summary>
    public static string GetName(ProtocolId value) => TryGetKnownName(value) ?? s_protocol.Get((int)value);

    public static bool IsKnown(IkeExchangeType value) => TryGetKnownName(value) is not null;

    public static bool IsKnown(IkePayloadType value) => TryGetKnownName(value) is not null;

    public static bool IsKnown(IkeNotifyType value) => TryGetKnownName(value) is not null;

    internal static string? TryGetKnownName(IkeExchangeType value) => value switch
    {
        IkeExchangeType.IkeSaInit => "IKE_SA_INIT",
        IkeExchangeType.IkeAuth => "IKE_AUTH",
        IkeExchangeType.CreateChildSa => "CREATE_CHILD_SA",
        IkeExchangeType.Informational => "INFORMATIONAL",
        IkeExchangeType.IkeSessionResume => "IKE_SESSION_RESUME",
        IkeExchangeType.GsaAuth => "GSA_AUTH",
        IkeExchangeType.GsaRegistration => "GSA_REGISTRATION",
        IkeExchangeType.GsaRekey => "GSA_REKEY",
        IkeExchangeType.GsaInbandRekey => "GSA_INBAND_REKEY",
        IkeExchangeType.IkeIntermediate => "IKE_INTERMEDIATE",
        IkeExchangeType.IkeFollowupKe => "IKE_FOLLOWUP_KE",
        _ => null,
    };

    internal static string? TryGetKnownName(IkePayloadType value) => value switch
    {
        IkePayloadType.None => "NONE",
        IkePayloadType.SecurityAssociation => "SA",
        IkePayloadType.KeyExchange => "KE",
        IkePayloadType.IdentificationInitiator => "IDi",
        IkePayloadType.IdentificationResponder => "IDr",
        IkePayloadType.Certificate => "CERT",
        IkePayloadType.CertificateRequest => "CERTREQ",
        IkePayloadType.Authentication => "AUTH",
        IkePayloadType.Nonce => "Nonce",
        IkePayloadType.Notify => "N",
        IkePayloadType.Delete => "D",
        IkePayloadType.VendorId => "V",
        IkePayloadType.TrafficSelectorInitiator => "TSi",
        IkePayloadType.TrafficSelectorResponder => "TSr",
        IkePayloadType.Encrypted => "SK",
        IkePayloadType.Configuration => "CP",
        IkePayloadType.Eap => "EAP",
        IkePayloadType.GenericSecurePasswordMethod => "GSPM",
        IkePayloadType.GroupIdentification => "IDg",
        IkePayloadType.GroupSecurityAssociation => "GSA",
        IkePayloadType.KeyDownload => "KD",
        IkePayloadType.EncryptedFragment => "SKF",
        IkePayloadType.PuzzleSolution => "PS",
        _ => null,
    };

    internal static string? TryGetKnownName(IkeNotifyType value) => value switch
    {
        IkeNotifyType.UnsupportedCriticalPayload => "UNSUPPORTED_CRITICAL_PAYLOAD",
        IkeNotifyType.InvalidIkeSpi => "INVALID_IKE_SPI",
        IkeNotifyType.InvalidMajorVersion => "INVALID_MAJOR_VERSION",
        IkeNotifyType.InvalidSyntax => "INVALID_SYNTAX",
        IkeNotifyType.InvalidMessageId => "INVALID_MESSAGE_ID",
        IkeNotifyType.InvalidSpi => "INVALID_SPI",
        IkeNotifyType.NoProposalChosen => "NO_PROPOSAL_CHOSEN",
        IkeNotifyType.InvalidKePayload => "INVALID_KE_PAYLOAD",
        IkeNotifyType.AuthenticationFailed => "AUTHENTICATION_FAILED",
        IkeNotifyType.SinglePairRequired => "SINGLE_PAIR_REQUIRED",
        IkeNotifyType.NoAdditionalSas => "NO_ADDITIONAL_SAS",
        IkeNotifyType.InternalAddressFailure => "INTERNAL_ADDRESS_FAILURE",
        IkeNotifyType.FailedCpRequired => "FAILED_CP_REQUIRED",
        IkeNotifyType.TsUnacceptable => "TS_UNACCEPTABLE",
        IkeNotifyType.InvalidSelectors => "INVALID_SELECTORS",
        IkeNotifyType.UnacceptableAddresses => "UNACCEPTABLE_ADDRESSES",
        IkeNotifyType.UnexpectedNatDetected => "UNEXPECTED_NAT_DETECTED",
        IkeNotifyType.UseAssignedHoA => "USE_ASSIGNED_HoA",
        IkeNotifyType.TemporaryFailure => "TEMPORARY_FAILURE",
        IkeNotifyType.ChildSaNotFound => "CHILD_SA_NOT_FOUND",
        IkeNotifyType.InvalidGroupId => "INVALID_GROUP_ID",
        IkeNotifyType.AuthorizationFailed => "AUTHORIZATION_FAILED",
        IkeNotifyType.StateNotFound => "STATE_NOT_FOUND",
        IkeNotifyType.InitialContact => "INITIAL_CONTACT",
        IkeNotifyType.SetWindowSize => "SET_WINDOW_SIZE",
        IkeNotifyType.AdditionalTsPossible => "ADDITIONAL_TS_POSSIBLE",
        IkeNotifyType.IpcompSupported => "IPCOMP_SUPPORTED",
        IkeNotifyType.NatDetectionSourceIp => "NAT_DETECTION_SOURCE_IP",
        IkeNotifyType.NatDetectionDestinationIp => "NAT_DETECTION_DESTINATION_IP",
        IkeNotifyType.Cookie => "COOKIE",
        IkeNotifyType.UseTransportMode => "USE_TRANSPORT_MODE",
        IkeNotifyType.HttpCertLookupSupported => "HTTP_CERT_LOOKUP_SUPPORTED",
        IkeNotifyType.RekeySa => "REKEY_SA",
        IkeNotifyType.EspTfcPaddingNotSupported => "ESP_TFC_PADDING_NOT_SUPPORTED",
        IkeNotifyType.NonFirstFragmentsAlso => "NON_FIRST_FRAGMENTS_ALSO",
        IkeNotifyType.MobikeSupported => "MOBIKE_SUPPORTED",
        IkeNotifyType.AdditionalIp4Address => "ADDITIONAL_IP4_ADDRESS",
        IkeNotifyType.AdditionalIp6Address => "ADDITIONAL_IP6_ADDRESS",
        IkeNotifyType.NoAdditionalAddresses => "NO_ADDITIONAL_ADDRESSES",
        IkeNotifyType.UpdateSaAddresses => "UPDATE_SA_ADDRESSES",
        IkeNotifyType.Cookie2 => "COOKIE2",
        IkeNotifyType.NoNatsAllowed => "NO_NATS_ALLOWED",
        IkeNotifyType.AuthLifetime => "AUTH_LIFETIME",
        IkeNotifyType.MultipleAuthSupported => "MULTIPLE_AUTH_SUPPORTED",
        IkeNotifyType.AnotherAuthFollows => "ANOTHER_AUTH_FOLLOWS",
        IkeNotifyType.RedirectSupported => "REDIRECT_SUPPORTED",
        IkeNotifyType.Redirect => "REDIRECT",
        IkeNotifyType.RedirectedFrom => "REDIRECTED_FROM",
        IkeNotifyType.TicketLtOpaque => "TICKET_LT_OPAQUE",
        IkeNotifyType.TicketRequest => "TICKET_REQUEST",
        IkeNotifyType.TicketAck => "TICKET_ACK",
        IkeNotifyType.TicketNack => "TICKET_NACK",
        IkeNotifyType.TicketOpaque => "TICKET_OPAQUE",
        IkeNotifyType.LinkId => "LINK_ID",
        IkeNotifyType.UseWespMode => "USE_WESP_MODE",
        IkeNotifyType.RohcSupported => "ROHC_SUPPORTED",
        IkeNotifyType.EapOnlyAuthentication => "EAP_ONLY_AUTHENTICATION",
        IkeNotifyType.ChildlessIkev2Supported => "CHILDLESS_IKEV2_SUPPORTED",
        IkeNotifyType.QuickCrashDetection => "QUICK_CRASH_DETECTION",
        IkeNotifyType.Ikev2MessageIdSyncSupported => "IKEV2_MESSAGE_ID_SYNC_SUPPORTED",
        IkeNotifyType.IpsecReplayCounterSyncSupported => "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED",
        IkeNotifyType.Ikev2MessageIdSync => "IKEV2_MESSAGE_ID_SYNC",
        IkeNotifyType.IpsecReplayCounterSync => "IPSEC_REPLAY_COUNTER_SYNC",
        IkeNotifyType.SecurePasswordMethods => "SECURE_PASSWORD_METHODS",
        IkeNotifyType.PskPersist => "PSK_PERSIST",
        IkeNotifyType.PskConfirm => "PSK_CONFIRM",
        IkeNotifyType.ErxSupported => "ERX_SUPPORTED",
        IkeNotifyType.IfomCapability => "IFOM_CAPABILITY",
        IkeNotifyType.SenderRequestId => "SENDER_REQUEST_ID",
        IkeNotifyType.Ikev2FragmentationSupported => "IKEV2_FRAGMENTATION_SUPPORTED",
        IkeNotifyType.SignatureHashAlgorithms => "SIGNATURE_HASH_ALGORITHMS",
        IkeNotifyType.CloneIkeSaSupported => "CLONE_IKE_SA_SUPPORTED",
        IkeNotifyType.CloneIkeSa => "CLONE_IKE_SA",
        IkeNotifyType.Puzzle => "PUZZLE",
        IkeNotifyType.UsePpk => "USE_PPK",
        IkeNotifyType.PpkIdentity => "PPK_IDENTITY",
        IkeNotifyType.NoPpkAuth => "NO_PPK_AUTH",
        IkeNotifyType.IntermediateExchangeSupported => "INTERMEDIATE_EXCHANGE_SUPPORTED",
        IkeNotifyType.Ip4Allowed => "IP4_ALLOWED",
        IkeNotifyType.Ip6Allowed => "IP6_ALLOWED",
        IkeNotifyType.AdditionalKeyExchange => "ADDITIONAL_KEY_EXCHANGE",
        IkeNotifyType.UseAggfrag => "USE_AGGFRAG",
        _ => null,
    };

    internal static string? TryGetKnownName(TransformType value) => value switch
    {
        TransformType.Encryption => "ENCR",
        TransformType.PseudorandomFunction => "PRF",
        TransformType.Integrity => "INTEG",
        TransformType.DiffieHellman => "KE",
        TransformType.ExtendedSequenceNumbers => "ESN",
        TransformType.AdditionalKeyExchange1 => "ADDKE1",
        TransformType.AdditionalKeyExchange2 => "ADDKE2",
        TransformType.AdditionalKeyExchange3 => "ADDKE3",
        TransformType.AdditionalKeyExchange4 => "ADDKE4",
        TransformType.AdditionalKeyExchange5 => "ADDKE5",
        TransformType.AdditionalKeyExchange6 => "ADDKE6",
        TransformType.AdditionalKeyExchange7 => "ADDKE7",
        _ => null,
    };

    internal static string? TryGetKnownName(EncryptionAlgorithm value) => value switch
    {
        EncryptionAlgorithm.DesIv64 => "ENCR_DES_IV64",
        EncryptionAlgorithm.Des => "ENCR_DES",
        EncryptionAlgorithm.TripleDes => "ENCR_3DES",
        EncryptionAlgorithm.Rc5 => "ENCR_RC5",
        EncryptionAlgorithm.Idea => "ENCR_IDEA",
        EncryptionAlgorithm.Cast => "ENCR_CAST",
        EncryptionAlgorithm.Blowfish => "ENCR_BLOWFISH",
        EncryptionAlgorithm.TripleIdea => "ENCR_3IDEA",
        EncryptionAlgorithm.DesIv32 => "ENCR_DES_IV32",
        EncryptionAlgorithm.EncrNull => "ENCR_NULL",
        EncryptionAlgorithm.AesCbc => "ENCR_AES_CBC",
        EncryptionAlgorithm.AesCtr => "ENCR_AES_CTR",
        EncryptionAlgorithm.AesCcm8 => "ENCR_AES_CCM_8",
        EncryptionAlgorithm.AesCcm12 => "ENCR_AES_CCM_12",
        EncryptionAlgorithm.AesCcm16 => "ENCR_AES_CCM_16",
        EncryptionAlgorithm.AesGcm8 => "ENCR_AES_GCM_8",
        EncryptionAlgorithm.AesGcm12 => "ENCR_AES_GCM_12",
        EncryptionAlgorithm.AesGcm16 => "ENCR_AES_GCM_16",
        EncryptionAlgorithm.NullAuthAesGmac => "ENCR_NULL_AUTH_AES_GMAC",
        EncryptionAlgorithm.CamelliaCbc => "ENCR_CAMELLIA_CBC",
        EncryptionAlgorithm.CamelliaCtr => "ENCR_CAMELLIA_CTR",
        EncryptionAlgorithm.CamelliaCcm8 => "ENCR_CAMELLIA_CCM_8",
        EncryptionAlgorithm.CamelliaCcm12 => "ENCR_CAMELLIA_CCM_12",
        EncryptionAlgorithm.CamelliaCcm16 => "ENCR_CAMELLIA_CCM_16",
        EncryptionAlgorithm.ChaCha20Poly1305 => "ENCR_CHACHA20_POLY1305",
        EncryptionAlgorithm.AesCcm8Iiv => "ENCR_AES_CCM_8_IIV",
        EncryptionAlgorithm.AesGcm16Iiv => "ENCR_AES_GCM_16_IIV",
        EncryptionAlgorithm.ChaCha20Poly1305Iiv => "ENCR_CHACHA20_POLY1305_IIV",
        _ => null,
    };

    internal static string? TryGetKnownName(IntegrityAlgorithm value) => value switch
    {
        IntegrityAlgorithm.None => "NONE",
        IntegrityAlgorithm.HmacMd5_96 => "AUTH_HMAC_MD5_96",
        IntegrityAlgorithm.HmacSha1_96 => "AUTH_HMAC_SHA1_96",
        IntegrityAlgorithm.DesMac => "AUTH_DES_MAC",
        IntegrityAlgorithm.KpdkMd5 => "AUTH_KPDK_MD5",
        IntegrityAlgorithm.AesXcbc96 => "AUTH_AES_XCBC_96",
        IntegrityAlgorithm.HmacMd5_128 => "AUTH_HMAC_MD5_128",
        IntegrityAlgorithm.HmacSha1_160 => "AUTH_HMAC_SHA1_160",
        IntegrityAlgorithm.AesCmac96 => "AUTH_AES_CMAC_96",
        IntegrityAlgorithm.Aes128Gmac => "AUTH_AES_128_GMAC",
        IntegrityAlgorithm.Aes192Gmac => "AUTH_AES_192_GMAC",
        IntegrityAlgorithm.Aes256Gmac => "AUTH_AES_256_GMAC",
        IntegrityAlgorithm.HmacSha2_256_128 => "AUTH_HMAC_SHA2_256_128",
        IntegrityAlgorithm.HmacSha2_384_192 => "AUTH_HMAC_SHA2_384_192",
        IntegrityAlgorithm.HmacSha2_512_256 => "AUTH_HMAC_SHA2_512_256",
        _ => null,
    };

    internal static string? TryGetKnownName(PrfAlgorithm value) => value switch
    {
        PrfAlgorithm.HmacMd5 => "PRF_HMAC_MD5",
        PrfAlgorithm.HmacSha1 => "PRF_HMAC_SHA1",
        PrfAlgorithm.HmacTiger => "PRF_HMAC_TIGER",
        PrfAlgorithm.Aes128Xcbc => "PRF_AES128_XCBC",
        PrfAlgorithm.HmacSha2_256 => "PRF_HMAC_SHA2_256",
        PrfAlgorithm.HmacSha2_384 => "PRF_HMAC_SHA2_384",
        PrfAlgorithm.HmacSha2_512 => "PRF_HMAC_SHA2_512",
        PrfAlgorithm.Aes128Cmac => "PRF_AES128_CMAC",
        PrfAlgorithm.HmacStreebog512 => "PRF_HMAC_STREEBOG_512",
        _ => null,
    };

    internal static string? TryGetKnownName(DhGroup value) => value switch
    {
        DhGroup.None => "NONE",
        DhGroup.Modp768 => "768-bit MODP Group",
        DhGroup.Modp1024 => "1024-bit MODP Group",
        DhGroup.Modp1536 => "1536-bit MODP Group",
        DhGroup.Modp2048 => "2048-bit MODP Group",
        DhGroup.Modp3072 => "3072-bit MODP Group",
        DhGroup.Modp4096 => "4096-bit MODP Group",
        DhGroup.Modp6144 => "6144-bit MODP Group",
        DhGroup.Modp8192 => "8192-bit MODP Group",
        DhGroup.Ecp256 => "256-bit random ECP group",
        DhGroup.Ecp384 => "384-bit random ECP group",
        DhGroup.Ecp521 => "521-bit random ECP group",
        DhGroup.Modp1024S160 => "1024-bit MODP Group with 160-bit Prime Order Subgroup",
        DhGroup.Modp2048S224 => "2048-bit MODP Group with 224-bit Prime Order Subgroup",
        DhGroup.Modp2048S256 => "2048-bit MODP Group with 256-bit Prime Order Subgroup",
        DhGroup.Ecp192 => "192-bit Random ECP Group",
        DhGroup.Ecp224 => "224-bit Random ECP Group",
        DhGroup.BrainpoolP224R1 => "brainpoolP224r1",
        DhGroup.BrainpoolP256R1 => "brainpoolP256r1",
        DhGroup.BrainpoolP384R1 => "brainpoolP384r1",
        DhGroup.BrainpoolP512R1 => "brainpoolP512r1",
        DhGroup.Curve25519 => "Curve25519",
        DhGroup.Curve448 => "Curve448",
        DhGroup.Gost3410_2012_256 => "GOST3410_2012_256",
        DhGroup.Gost3410_2012_512 => "GOST3410_2012_512",
        DhGroup.MlKem512 => "ml-kem-512",
        DhGroup.MlKem768 => "ml-kem-768",
        DhGroup.MlKem1024 => "ml-kem-1024",
        _ => null,
    };

    internal static string? TryGetKnownName(AuthMethod value) => value switch
    {
        AuthMethod.RsaDigitalSignature => "RSA Digital Signature",
        AuthMethod.SharedKeyMessageIntegrityCode => "Shared Key Message Integrity Code",
        AuthMethod.DssDigitalSignature => "DSS Digital Signature",
        AuthMethod.EcdsaSha256P256 => "ECDSA with SHA-256 on the P-256 curve",
        AuthMethod.EcdsaSha384P384 => "ECDSA with SHA-384 on the P-384 curve",
        AuthMethod.EcdsaSha512P521 => "ECDSA with SHA-512 on the P-521 curve",
        AuthMethod.GenericSecurePassword => "Generic Secure Password Authentication Method",
        AuthMethod.NullAuthentication => "NULL Authentication",
        AuthMethod.DigitalSignature => "Digital Signature",
        _ => null,
    };

    internal static string? TryGetKnownName(IdType value) => value switch
    {
        IdType.IPv4Address => "ID_IPV4_ADDR",
        IdType.Fqdn => "ID_FQDN",
        IdType.Rfc822Address => "ID_RFC822_ADDR",
        IdType.IPv6Address => "ID_IPV6_ADDR",
        IdType.DerAsn1Dn => "ID_DER_ASN1_DN",
        IdType.DerAsn1Gn => "ID_DER_ASN1_GN",
        IdType.KeyId => "ID_KEY_ID",
        IdType.FcName => "ID_FC_NAME",
        IdType.Null => "ID_NULL",
        _ => null,
    };

    internal static string? TryGetKnownName(ProtocolId value) => value switch
    {
        ProtocolId.Ike => "IKE",
        ProtocolId.Ah => "AH",
        ProtocolId.Esp => "ESP",
        ProtocolId.FcEspHeader => "FC_ESP_HEADER",
        ProtocolId.FcCtAuthentication => "FC_CT_AUTHENTICATION",
        ProtocolId.GikeUpdate => "GIKE_UPDATE",
        _ => null,
    };
}
