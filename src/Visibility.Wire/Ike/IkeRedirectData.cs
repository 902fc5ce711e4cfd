namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of REDIRECT (16407) and REDIRECTED_FROM (16408).</summary>
/// <remarks>
/// RFC 5685 §9.2, §9.3 (offsets in the notification data):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | GW Ident Type |  GW Ident Len |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               ~
/// ~                   New Responder GW Identity                   ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                        Nonce Data                             ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Identity types: 1 IPv4 (4 octets), 2 IPv6 (16 octets), 3 FQDN (REDIRECT only). Nonce Data (the initiator's
/// Ni) follows only in a REDIRECT inside an IKE_SA_INIT response. <see cref="TryRead"/> rejects an identity that
/// overruns the data and IP identities of the wrong length; other types are accepted as opaque octets.
/// </remarks>
public readonly ref struct IkeRedirectData
{
    private IkeRedirectData(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    public static bool TryRead(ReadOnlySpan<byte> data, out IkeRedirectData redirect)
    {
        redirect = default;
        if (data.Length < 2 || 2 + data[1] > data.Length)
        {
            return false;
        }
        int length = data[1];
        switch ((GatewayIdentityType)data[0])
        {
            case GatewayIdentityType.IPv4Address when length != 4:
            case GatewayIdentityType.IPv6Address when length != 16:
            case GatewayIdentityType.Fqdn when length == 0:
                return false;
        }
        redirect = new IkeRedirectData(data);
        return true;
    }

    public GatewayIdentityType GatewayIdentityType => (GatewayIdentityType)Data[0];

    /// <summary>The gateway identity octets: an address in network order or the FQDN text.</summary>
    public ReadOnlySpan<byte> GatewayIdentity => Data.Slice(2, Data[1]);

    /// <summary>Octets after the identity: Ni in an IKE_SA_INIT REDIRECT, otherwise empty.</summary>
    public ReadOnlySpan<byte> Nonce => Data[(2 + Data[1])..];

    /// <summary>The gateway address for types 1 and 2; the default (none) otherwise.</summary>
    public NetworkAddress GatewayAddress => GatewayIdentityType switch
    {
        GatewayIdentityType.IPv4Address => NetworkAddress.FromIPv4(GatewayIdentity),
        GatewayIdentityType.IPv6Address => NetworkAddress.FromIPv6(GatewayIdentity),
        _ => default,
    };

    /// <summary>Writes the identity as text: the address in its usual form, or the FQDN (non-printable octets
    /// as <c>?</c>). Works for any identity type; false when <paramref name="destination"/> is too small.</summary>
    public bool TryFormatGateway(Span<char> destination, out int charsWritten) =>
        FormatGateway(GatewayIdentityType, GatewayIdentity, destination, out charsWritten);

    internal static bool FormatGateway(GatewayIdentityType type, ReadOnlySpan<byte> identity, Span<char> destination, out int charsWritten)
    {
        if ((type == GatewayIdentityType.IPv4Address && identity.Length == 4) || (type == GatewayIdentityType.IPv6Address && identity.Length == 16))
        {
            NetworkAddress address = identity.Length == 4 ? NetworkAddress.FromIPv4(identity) : NetworkAddress.FromIPv6(identity);
            if (address.IsNone)
            {
                // The all-zero IPv6 address, which NetworkAddress treats as "no address".
                charsWritten = 0;
                if (destination.Length < 2)
                {
                    return false;
                }
                destination[0] = ':';
                destination[1] = ':';
                charsWritten = 2;
                return true;
            }
            return address.TryFormat(destination, out charsWritten);
        }
        if (destination.Length < identity.Length)
        {
            charsWritten = 0;
            return false;
        }
        for (int i = 0; i < identity.Length; i++)
        {
            byte b = identity[i];
            destination[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
        }
        charsWritten = identity.Length;
        return true;
    }
}
