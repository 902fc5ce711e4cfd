namespace Visibility.Engine.Ike;

/// <summary>The IKE SA an ESP flow belongs to (EVE <c>ike_sa: {init_spi, resp_spi, link}</c> on ESP flow records),
/// kept on <see cref="Flows.FlowState"/> and filled by <see cref="IkeTracker"/>.</summary>
public struct IkeSaLink
{
    public ulong InitiatorSpi { readonly get; internal set; }

    public ulong ResponderSpi { readonly get; internal set; }

    public IkeLinkKind Kind { readonly get; internal set; }

    /// <summary>The ESP transform came from the negotiation (or an <c>esp_sa</c> key file) and fixed the verdict.</summary>
    public bool TransformKnown { readonly get; internal set; }

    public readonly bool IsLinked => Kind != IkeLinkKind.None;

    /// <summary>The tracked SA object and its serial when linked (objects are pooled: the serial tells a reused
    /// object from the original).</summary>
    internal IkeSa? Sa;

    internal long Serial;

    /// <summary>The tracker's link generation at the last attempt: no new attempt until it changes.</summary>
    internal long Generation;
}
