using System.Runtime.CompilerServices;

namespace Visibility.Wire.Ike;

/// <summary>Fixed storage for the notify types of one chain (<see cref="IkePayloadSummary.MaxNotifies"/>).</summary>
[InlineArray(IkePayloadSummary.MaxNotifies)]
internal struct IkeNotifyTypeBuffer
{
    private IkeNotifyType _element;
}
