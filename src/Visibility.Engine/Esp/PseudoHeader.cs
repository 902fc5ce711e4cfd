using Visibility.Wire;

namespace Visibility.Engine.Esp;

/// <summary>The address part of a TCP/UDP/ICMPv6 pseudo-header (RFC 9293 §3.1, RFC 768, RFC 8200 §8.1), pre-summed.</summary>
/// <remarks>The protocol and upper-layer length words are added per check by <see cref="Sum"/>: for IPv4 they are
/// (zero, protocol) and a 16-bit length, for IPv6 a 32-bit length and (zeros, next header); both fold the same way.</remarks>
internal readonly struct PseudoHeader
{
    private readonly ulong _addressSum;

    private PseudoHeader(ulong addressSum, bool isIPv6)
    {
        _addressSum = addressSum;
        IsIPv6 = isIPv6;
        IsKnown = true;
    }

    /// <summary>False when the addresses are not known: checksums that need them are not checked.</summary>
    public bool IsKnown { get; }

    public bool IsIPv6 { get; }

    /// <summary>From the outer header's addresses (transport mode); unknown if either is missing or the families differ.</summary>
    public static PseudoHeader FromAddresses(in NetworkAddress source, in NetworkAddress destination)
    {
        if (source.IsNone || destination.IsNone || source.IsIPv4 != destination.IsIPv4)
        {
            return default;
        }
        return new PseudoHeader(destination.AddToChecksum(source.AddToChecksum(0)), !source.IsIPv4);
    }

    /// <summary>From an IPv4 header of at least 20 octets (source at 12, destination at 16).</summary>
    public static PseudoHeader FromIPv4Header(ReadOnlySpan<byte> header) =>
        new(InternetChecksum.Add(0, header.Slice(12, 8)), isIPv6: false);

    /// <summary>From an IPv6 header of at least 40 octets (source at 8, destination at 24).</summary>
    public static PseudoHeader FromIPv6Header(ReadOnlySpan<byte> header) =>
        new(InternetChecksum.Add(0, header.Slice(8, 32)), isIPv6: true);

    public ulong Sum(byte protocol, int upperLayerLength) => _addressSum + protocol + (uint)upperLayerLength;
}
