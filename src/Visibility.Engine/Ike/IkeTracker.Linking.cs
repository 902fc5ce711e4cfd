using Visibility.Engine.Esp;
using Visibility.Engine.Flows;

namespace Visibility.Engine.Ike;

/// <summary>Tying ESP flows to IKE SAs (EVE <c>ike_sa</c> on ESP flow records) and fixing their verdict from the
/// negotiated transform.</summary>
/// <remarks>
/// <list type="number">
/// <item>Negotiated: the flow's SPI is one of a Child SA seen in a decrypted IKE_AUTH or CREATE_CHILD_SA; after an IKE
///   rekey the Child SAs belong to the new IKE SA, and the flow follows them. The transform then decides the verdict
///   for certain: "null" for ENCR_NULL and ENCR_NULL_AUTH_AES_GMAC, "encrypted" for any other cipher.</item>
/// <item>Key file: an <c>esp_sa</c> row for the SPI (and addresses, unless "*") also fixes the verdict.</item>
/// <item>Likely: without the SPI, a flow between the two peers of an established IKE SA is tied to the latest such SA.</item>
/// </list>
/// A flow tries again only when the tracker's link generation has changed since its last attempt, so the ESP path
/// pays one comparison per packet.
/// </remarks>
public sealed partial class IkeTracker
{
    /// <summary>Links an ESP/WESP flow to its IKE SA. Returns true when the SA's transform became known on this call:
    /// the caller then fixes the flow's verdict with <see cref="EspClassifier.Negotiate"/>.</summary>
    public bool TryLink(FlowState flow, out bool isNull, out int icvLength, out int ivLength, out EspVerdictReason reason)
    {
        ArgumentNullException.ThrowIfNull(flow);
        isNull = false;
        icvLength = 0;
        ivLength = 0;
        reason = EspVerdictReason.None;
        ref IkeSaLink link = ref flow.IkeSa;
        link.Generation = _generation;
        uint spi = flow.Spi;
        if (_children.TryGetValue(spi, out IkeChildRef child) && child.IsAlive)
        {
            Attach(ref link, child.Sa, IkeLinkKind.Negotiated);
            if (link.TransformKnown)
            {
                return false;
            }
            ref IkeChildSa negotiated = ref child.Sa.ChildAt(child.Index);
            link.TransformKnown = true;
            isNull = negotiated.IsNull;
            icvLength = negotiated.IcvLength;
            ivLength = negotiated.IvLength;
            reason = EspVerdictReason.Negotiated;
            return true;
        }
        bool known = false;
        if (!link.TransformKnown && _espKeys.TryGetValue(spi, out IkeEspKey key) && key.Matches(flow.Client, flow.Server))
        {
            link.TransformKnown = true;
            isNull = key.IsNull;
            icvLength = key.IcvLength;
            ivLength = key.IvLength;
            reason = EspVerdictReason.KeyFile;
            known = true;
        }
        if (link.Kind == IkeLinkKind.None && _pairs.TryGetValue(IkeAddressPair.Of(flow.Client, flow.Server), out IkeSaRef latest) && latest.IsAlive)
        {
            Attach(ref link, latest.Sa, IkeLinkKind.Likely);
        }
        return known;
    }

    /// <summary>True when the flow should try <see cref="TryLink"/> again (something linkable changed since its last
    /// attempt and it is not yet tied by negotiation with its transform known).</summary>
    public bool NeedsLink(FlowState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ref IkeSaLink link = ref flow.IkeSa;
        return link.Generation != _generation && !(link.Kind == IkeLinkKind.Negotiated && link.TransformKnown);
    }

    /// <summary>Marks the linked IKE SA as active (an ESP packet at <paramref name="nanoseconds"/>), so it does not
    /// time out while its Child SAs carry traffic.</summary>
    public static void TouchEsp(FlowState flow, long nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ref IkeSaLink link = ref flow.IkeSa;
        if (link.Sa is { } sa && sa.Serial == link.Serial && nanoseconds > sa.LastEspNanoseconds)
        {
            sa.LastEspNanoseconds = nanoseconds;
        }
    }

    /// <summary>Before an ESP flow's record is written: links it if it is not yet, and moves the link to the IKE SA
    /// that now owns its Child SA (after IKE rekeys).</summary>
    public void OnEspFlowEnd(FlowState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ref IkeSaLink link = ref flow.IkeSa;
        if (link.Kind == IkeLinkKind.None && link.Generation != _generation)
        {
            TryLink(flow, out _, out _, out _, out _);
        }
        if (link.Kind == IkeLinkKind.Negotiated && _children.TryGetValue(flow.Spi, out IkeChildRef child) && child.IsAlive)
        {
            Attach(ref link, child.Sa, IkeLinkKind.Negotiated);
        }
        else if (link.Kind == IkeLinkKind.Likely && link.Sa is { } sa && sa.IsAlive(link.Serial))
        {
            for (int hops = 0; hops < 8 && sa.RekeyedToSa is { } next && next.IsAlive(sa.RekeyedToSerial); hops++)
            {
                sa = next;
            }
            Attach(ref link, sa, IkeLinkKind.Likely);
        }
        TouchEsp(flow, flow.LastNanoseconds);
    }

    private static void Attach(ref IkeSaLink link, IkeSa sa, IkeLinkKind kind)
    {
        link.Kind = kind;
        link.InitiatorSpi = sa.InitiatorSpi;
        link.ResponderSpi = sa.ResponderSpi;
        link.Sa = sa;
        link.Serial = sa.Serial;
    }
}
