namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Exchange Type (IKE header octet 18), IANA "IKEv2 Exchange Types".</summary>
/// <remarks>RFC 7296 §3.1; 38 from RFC 5723 §4.3.2; 43 from RFC 9242 §3.2; 44 from RFC 9370 (value as in
/// the IANA registry). 39-42 are group IKEv2 exchanges, listed so they are named rather than unknown.
/// Names for EVE come from <see cref="IkeNames.GetName(IkeExchangeType)"/>.</remarks>
public enum IkeExchangeType : byte
{
    None = 0,
    IkeSaInit = 34,
    IkeAuth = 35,
    CreateChildSa = 36,
    Informational = 37,
    IkeSessionResume = 38,
    GsaAuth = 39,
    GsaRegistration = 40,
    GsaRekey = 41,
    GsaInbandRekey = 42,
    IkeIntermediate = 43,
    IkeFollowupKe = 44,
}
