using System.Runtime.CompilerServices;

namespace Visibility.Wire.Ike;

/// <summary>Fixed storage for a REDIRECT gateway identity: GW Ident Len is one octet, so at most 255 octets.</summary>
[InlineArray(255)]
internal struct IkeGatewayIdentityBuffer
{
    private byte _element;
}
