using System.Runtime.CompilerServices;

namespace Visibility.Engine.Ike;

/// <summary>256 octets kept inline (identities, gateway names, QCD tokens), so SA state lives in pooled objects.</summary>
[InlineArray(256)]
internal struct IkeOctetBuffer
{
    private byte _element0;
}
