using System.Runtime.CompilerServices;

namespace Visibility.Wire.Ike;

/// <summary>Fixed storage for the payload types of one chain (<see cref="IkePayloadSummary.MaxPayloads"/>).</summary>
[InlineArray(IkePayloadSummary.MaxPayloads)]
internal struct IkePayloadTypeBuffer
{
    private IkePayloadType _element;
}
