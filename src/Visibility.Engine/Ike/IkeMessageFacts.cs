namespace Visibility.Engine.Ike;

/// <summary>What one IKE message shows beyond its header and notify types, as the input of
/// <see cref="IkeSaStateMachine.Advance"/>.</summary>
[Flags]
public enum IkeMessageFacts : ushort
{
    None = 0,

    /// <summary>The message has an SK or SKF payload.</summary>
    Encrypted = 1 << 0,

    /// <summary>Keys verified and decrypted it: the inner payloads below are known.</summary>
    Decrypted = 1 << 1,

    /// <summary>An IKE fragment (RFC 7383) that does not complete its message: the message is not known yet.</summary>
    Partial = 1 << 2,

    /// <summary>An AUTH payload.</summary>
    Auth = 1 << 3,

    /// <summary>An EAP payload.</summary>
    Eap = 1 << 4,

    /// <summary>An EAP Success (code 3).</summary>
    EapSuccess = 1 << 5,

    /// <summary>An EAP Failure (code 4).</summary>
    EapFailure = 1 << 6,

    /// <summary>A Delete payload for the IKE SA itself (protocol IKE).</summary>
    DeleteIkeSa = 1 << 7,

    /// <summary>An SA payload whose proposal is for protocol IKE with an 8-octet SPI: an IKE SA rekey.</summary>
    IkeRekey = 1 << 8,

    /// <summary>A QUICK_CRASH_DETECTION token.</summary>
    QcdToken = 1 << 9,
}
