using System.Runtime.CompilerServices;

namespace Visibility.Engine.Ike;

/// <summary>Inline storage for <see cref="IkeTransformList"/>.</summary>
[InlineArray(IkeTransformList.Capacity)]
internal struct IkeTransformArray
{
    private IkeTransformEntry _element0;
}
