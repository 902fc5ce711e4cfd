using System.Diagnostics.CodeAnalysis;
using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>An identity seen on the wire, kept inline: an ID payload (RFC 7296 §3.5) or a redirect gateway identity
/// (RFC 5685 §9.2). Longer data is cut at 128 octets.</summary>
public struct IkeIdentity
{
    private IkeOctetBuffer _bytes;

    /// <summary>The ID Type (ID payloads) or GW Ident Type (redirects).</summary>
    public byte Type { readonly get; private set; }

    /// <summary>True for a redirect gateway identity, false for an ID payload.</summary>
    public bool IsGateway { readonly get; private set; }

    public int Length { readonly get; private set; }

    public readonly bool IsSet => Length > 0 || Type != 0;

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Bytes => ((ReadOnlySpan<byte>)_bytes)[..Length];

    internal void Set(byte type, bool isGateway, ReadOnlySpan<byte> data)
    {
        Type = type;
        IsGateway = isGateway;
        Length = Math.Min(data.Length, IkeOctetBuffer.Size);
        data[..Length].CopyTo(_bytes);
    }

    internal void Clear()
    {
        Type = 0;
        IsGateway = false;
        Length = 0;
    }

    /// <summary>The identity as text: an address in its usual form, a name as printable ASCII (others as '?'), a
    /// DER name or key id as lowercase hex. False when <paramref name="destination"/> is too small.</summary>
    public readonly bool TryFormat(Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        ReadOnlySpan<byte> bytes = Bytes;
        bool ipv4 = IsGateway ? Type == (byte)GatewayIdentityType.IPv4Address : Type == (byte)IdType.IPv4Address;
        bool ipv6 = IsGateway ? Type == (byte)GatewayIdentityType.IPv6Address : Type == (byte)IdType.IPv6Address;
        if (ipv4 && bytes.Length == 4)
        {
            return NetworkAddress.FromIPv4(bytes).TryFormat(destination, out charsWritten);
        }
        if (ipv6 && bytes.Length == 16)
        {
            NetworkAddress address = NetworkAddress.FromIPv6(bytes);
            if (address.IsNone)
            {
                return TryCopy("::", destination, out charsWritten);
            }
            return address.TryFormat(destination, out charsWritten);
        }
        bool text = IsGateway || Type is (byte)IdType.Fqdn or (byte)IdType.Rfc822Address;
        if (text)
        {
            if (destination.Length < bytes.Length)
            {
                return false;
            }
            for (int i = 0; i < bytes.Length; i++)
            {
                destination[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
            }
            charsWritten = bytes.Length;
            return true;
        }
        if (destination.Length < bytes.Length * 2)
        {
            return false;
        }
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
            destination[(2 * i) + 1] = "0123456789abcdef"[bytes[i] & 0xF];
        }
        charsWritten = bytes.Length * 2;
        return true;
    }

    private static bool TryCopy(string text, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if (destination.Length < text.Length)
        {
            return false;
        }
        text.CopyTo(destination);
        charsWritten = text.Length;
        return true;
    }
}
