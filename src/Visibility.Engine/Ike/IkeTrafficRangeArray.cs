using System.Runtime.CompilerServices;

namespace Visibility.Engine.Ike;

/// <summary>Inline storage for <see cref="IkeTrafficRangeList"/>.</summary>
[InlineArray(IkeTrafficRangeList.Capacity)]
internal struct IkeTrafficRangeArray
{
    private IkeTrafficRange _element0;
}
