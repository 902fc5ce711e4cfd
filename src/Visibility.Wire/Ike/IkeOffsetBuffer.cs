using System.Runtime.CompilerServices;

namespace Visibility.Wire.Ike;

/// <summary>Fixed storage for payload offsets (<see cref="IkePayloadSummary.MaxPayloads"/> entries).</summary>
[InlineArray(IkePayloadSummary.MaxPayloads)]
internal struct IkeOffsetBuffer
{
    private int _element;
}
