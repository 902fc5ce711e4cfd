using System.Net;
using System.Net.Sockets;
using System.Text;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>An IKE identity: ID type and data [RFC 7296 §3.5].</summary>
internal sealed record PeerIdentity(IdType IdType, byte[] Data)
{
    /// <summary>ID_IPV4_ADDR/ID_IPV6_ADDR for an address, ID_RFC822_ADDR for user@host, ID_FQDN otherwise.</summary>
    public static PeerIdentity Parse(string text)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            return new PeerIdentity(
                address.AddressFamily == AddressFamily.InterNetwork ? IdType.IPv4Address : IdType.IPv6Address,
                address.GetAddressBytes());
        }

        return new PeerIdentity(text.Contains('@', StringComparison.Ordinal) ? IdType.Rfc822Address : IdType.Fqdn, Encoding.ASCII.GetBytes(text));
    }

    public bool Matches(PeerIdentity other) => other.IdType == IdType && other.Data.AsSpan().SequenceEqual(Data);

    public override string ToString() => IdType switch
    {
        IdType.IPv4Address or IdType.IPv6Address when Data.Length is 4 or 16 => new IPAddress(Data).ToString(),
        IdType.Fqdn or IdType.Rfc822Address => Encoding.ASCII.GetString(Data),
        _ => Convert.ToHexStringLower(Data),
    };
}
