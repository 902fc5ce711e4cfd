using System.Runtime.CompilerServices;

namespace Visibility.Engine.Esp;

/// <summary>One <see cref="EspLayoutCheck"/> per candidate layout, inline (no array allocation).</summary>
[InlineArray(EspLayouts.Count)]
internal struct EspLayoutCheckArray
{
    private EspLayoutCheck _element0;
}
