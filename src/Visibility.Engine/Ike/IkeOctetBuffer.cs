using System.Runtime.CompilerServices;

namespace Visibility.Engine.Ike;

/// <summary>128 octets kept inline (identities, gateway names, QCD tokens of at most 128 octets, RFC 6290 §5), so SA
/// state lives in pooled objects.</summary>
[InlineArray(Size)]
internal struct IkeOctetBuffer
{
    public const int Size = 128;

    private byte _element0;
}
