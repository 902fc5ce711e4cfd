namespace Visibility.IkePeer.Config;

/// <summary>When a responder with <c>--redirect-to</c> sends REDIRECT [RFC 5685 §3, §5, §6].</summary>
internal enum RedirectPhase
{
    /// <summary>In the IKE_SA_INIT response, with the initiator's nonce; no IKE SA is created.</summary>
    Init = 0,

    /// <summary>In the IKE_AUTH response, after the initiator's AUTH verified, instead of a Child SA.</summary>
    Auth = 1,

    /// <summary>In an INFORMATIONAL request once the IKE SA and its Child SA are up.</summary>
    Informational = 2,
}
