namespace Visibility.Engine.Ike;

/// <summary>How an ESP flow is tied to its IKE SA (EVE <c>ike_sa.link</c>).</summary>
public enum IkeLinkKind : byte
{
    /// <summary>Not linked.</summary>
    None = 0,

    /// <summary>"negotiated": the SPI was seen in a decrypted IKE_AUTH or CREATE_CHILD_SA of that IKE SA (or of the SA
    /// it was rekeyed from).</summary>
    Negotiated = 1,

    /// <summary>"likely": the flow runs between the two peers of an IKE SA established before it started; the SPI
    /// itself was not seen.</summary>
    Likely = 2,
}
