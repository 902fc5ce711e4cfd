using System.Net;
using System.Net.Sockets;
using System.Text;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>The gateway named by REDIRECT or REDIRECTED_FROM: an IPv4 or IPv6 address or an FQDN [RFC 5685 §9.2, §9.3].</summary>
/// <remarks>
/// Notification data (protocol-facts §4.10.1):
/// <code>
/// | GW Ident Type (1) | GW Ident Len (1) | gateway identity | Nonce Data (REDIRECT in IKE_SA_INIT only) |
/// </code>
/// Type 1 = IPv4 (4 octets), 2 = IPv6 (16), 3 = FQDN (REDIRECT only).
/// </remarks>
internal sealed record GatewayIdentity(GatewayIdentityType Type, byte[] Identity)
{
    /// <summary>An address in its usual form becomes type 1 or 2, anything else an FQDN.</summary>
    public static GatewayIdentity Parse(string text) =>
        IPAddress.TryParse(text, out var address) ? FromAddress(address) : new GatewayIdentity(GatewayIdentityType.Fqdn, Encoding.ASCII.GetBytes(text));

    public static GatewayIdentity FromAddress(IPAddress address) => new(
        address.AddressFamily == AddressFamily.InterNetworkV6 ? GatewayIdentityType.IPv6Address : GatewayIdentityType.IPv4Address,
        address.GetAddressBytes());

    /// <summary>Reads the data of a REDIRECT or REDIRECTED_FROM notify through the wire view; null when malformed or of an
    /// unknown type.</summary>
    public static GatewayIdentity? From(ReadOnlySpan<byte> data, out byte[] nonce)
    {
        nonce = [];
        if (!IkeRedirectData.TryRead(data, out var view)
            || view.GatewayIdentityType is not (GatewayIdentityType.IPv4Address or GatewayIdentityType.IPv6Address or GatewayIdentityType.Fqdn))
        {
            return null;
        }

        nonce = view.Nonce.ToArray();
        return new GatewayIdentity(view.GatewayIdentityType, view.GatewayIdentity.ToArray());
    }

    /// <summary>The address for types 1 and 2, null for an FQDN.</summary>
    public IPAddress? Address => Type is GatewayIdentityType.IPv4Address or GatewayIdentityType.IPv6Address ? new IPAddress(Identity) : null;

    public byte[] Encode(ReadOnlySpan<byte> nonce = default)
    {
        var data = new byte[2 + Identity.Length + nonce.Length];
        data[0] = (byte)Type;
        data[1] = (byte)Identity.Length;
        Identity.CopyTo(data, 2);
        nonce.CopyTo(data.AsSpan(2 + Identity.Length));
        return data;
    }

    public override string ToString() => Address?.ToString() ?? Encoding.ASCII.GetString(Identity);
}
