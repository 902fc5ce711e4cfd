namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Notify Message Type, IANA "IKEv2 Notify Message Types" (error types 0-16383, status types 16384-65535).</summary>
/// <remarks>RFC 7296 §3.10.1 and the extension RFCs cited per value. Values 8192-16383 and 40960-65535 are
/// private use. IANA names for EVE come from <see cref="IkeNames.GetName(IkeNotifyType)"/>.</remarks>
public enum IkeNotifyType : ushort
{
    None = 0,

    // ---- error types [RFC 7296 §3.10.1 unless noted]
    UnsupportedCriticalPayload = 1,
    InvalidIkeSpi = 4,
    InvalidMajorVersion = 5,
    InvalidSyntax = 7,
    InvalidMessageId = 9,
    InvalidSpi = 11,
    NoProposalChosen = 14,
    InvalidKePayload = 17,
    AuthenticationFailed = 24,
    SinglePairRequired = 34,
    NoAdditionalSas = 35,
    InternalAddressFailure = 36,
    FailedCpRequired = 37,
    TsUnacceptable = 38,
    InvalidSelectors = 39,
    /// <summary>RFC 4555 (MOBIKE).</summary>
    UnacceptableAddresses = 40,
    /// <summary>RFC 4555 (MOBIKE).</summary>
    UnexpectedNatDetected = 41,
    /// <summary>RFC 5026.</summary>
    UseAssignedHoA = 42,
    TemporaryFailure = 43,
    ChildSaNotFound = 44,
    /// <summary>Group IKEv2.</summary>
    InvalidGroupId = 45,
    /// <summary>Group IKEv2.</summary>
    AuthorizationFailed = 46,
    /// <summary>RFC 9370.</summary>
    StateNotFound = 47,

    // ---- status types
    InitialContact = 16384,
    SetWindowSize = 16385,
    AdditionalTsPossible = 16386,
    IpcompSupported = 16387,
    NatDetectionSourceIp = 16388,
    NatDetectionDestinationIp = 16389,
    Cookie = 16390,
    UseTransportMode = 16391,
    HttpCertLookupSupported = 16392,
    RekeySa = 16393,
    EspTfcPaddingNotSupported = 16394,
    NonFirstFragmentsAlso = 16395,
    /// <summary>RFC 4555 (16396-16402).</summary>
    MobikeSupported = 16396,
    AdditionalIp4Address = 16397,
    AdditionalIp6Address = 16398,
    NoAdditionalAddresses = 16399,
    UpdateSaAddresses = 16400,
    Cookie2 = 16401,
    NoNatsAllowed = 16402,
    /// <summary>RFC 4478.</summary>
    AuthLifetime = 16403,
    /// <summary>RFC 4739.</summary>
    MultipleAuthSupported = 16404,
    /// <summary>RFC 4739.</summary>
    AnotherAuthFollows = 16405,
    /// <summary>RFC 5685 §9.1.</summary>
    RedirectSupported = 16406,
    /// <summary>RFC 5685 §9.2; data: <see cref="IkeRedirectData"/>.</summary>
    Redirect = 16407,
    /// <summary>RFC 5685 §9.3; data: <see cref="IkeRedirectData"/>.</summary>
    RedirectedFrom = 16408,
    /// <summary>RFC 5723 §7.1; data: <see cref="IkeTicketLtOpaqueData"/>.</summary>
    TicketLtOpaque = 16409,
    /// <summary>RFC 5723 §7; no data.</summary>
    TicketRequest = 16410,
    /// <summary>RFC 5723 §7; no data.</summary>
    TicketAck = 16411,
    /// <summary>RFC 5723 §7; no data.</summary>
    TicketNack = 16412,
    /// <summary>RFC 5723 §7.2; data: <see cref="IkeTicketOpaqueData"/>.</summary>
    TicketOpaque = 16413,
    /// <summary>RFC 5739 §5.3.</summary>
    LinkId = 16414,
    /// <summary>RFC 5840 §2.3.</summary>
    UseWespMode = 16415,
    /// <summary>RFC 5857.</summary>
    RohcSupported = 16416,
    /// <summary>RFC 5998 §3.</summary>
    EapOnlyAuthentication = 16417,
    /// <summary>RFC 6023.</summary>
    ChildlessIkev2Supported = 16418,
    /// <summary>RFC 6290 §4.1 (Protocol ID 1); data: <see cref="IkeQcdTokenData"/>.</summary>
    QuickCrashDetection = 16419,
    /// <summary>RFC 6311 §6.1.</summary>
    Ikev2MessageIdSyncSupported = 16420,
    /// <summary>RFC 6311 §6.2.</summary>
    IpsecReplayCounterSyncSupported = 16421,
    /// <summary>RFC 6311 §6.3; data: <see cref="IkeMessageIdSyncData"/>.</summary>
    Ikev2MessageIdSync = 16422,
    /// <summary>RFC 6311 §6.4; data: <see cref="IkeReplayCounterSyncData"/>.</summary>
    IpsecReplayCounterSync = 16423,
    /// <summary>RFC 6467 §2; data: <see cref="IkeSecurePasswordMethodsData"/>.</summary>
    SecurePasswordMethods = 16424,
    /// <summary>RFC 6631 §7.</summary>
    PskPersist = 16425,
    /// <summary>RFC 6631 §7.</summary>
    PskConfirm = 16426,
    /// <summary>RFC 6867.</summary>
    ErxSupported = 16427,
    /// <summary>3GPP TS 24.303.</summary>
    IfomCapability = 16428,
    /// <summary>Group IKEv2.</summary>
    SenderRequestId = 16429,
    /// <summary>RFC 7383 §2.3.</summary>
    Ikev2FragmentationSupported = 16430,
    /// <summary>RFC 7427 §4.</summary>
    SignatureHashAlgorithms = 16431,
    /// <summary>RFC 7791.</summary>
    CloneIkeSaSupported = 16432,
    /// <summary>RFC 7791.</summary>
    CloneIkeSa = 16433,
    /// <summary>RFC 8019.</summary>
    Puzzle = 16434,
    /// <summary>RFC 8784.</summary>
    UsePpk = 16435,
    /// <summary>RFC 8784.</summary>
    PpkIdentity = 16436,
    /// <summary>RFC 8784.</summary>
    NoPpkAuth = 16437,
    /// <summary>RFC 9242 §3.1.</summary>
    IntermediateExchangeSupported = 16438,
    /// <summary>RFC 8983.</summary>
    Ip4Allowed = 16439,
    /// <summary>RFC 8983.</summary>
    Ip6Allowed = 16440,
    /// <summary>RFC 9370.</summary>
    AdditionalKeyExchange = 16441,
    /// <summary>RFC 9347.</summary>
    UseAggfrag = 16442,
}
