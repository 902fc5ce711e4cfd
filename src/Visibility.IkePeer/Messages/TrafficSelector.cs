using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>One traffic selector: an address range, an IP protocol (0 = any) and a port range [RFC 7296 §3.13.1].</summary>
/// <remarks>
/// <code>
/// | TS Type | IP Protocol ID | Selector Length (2) | Start Port (2) | End Port (2) | Starting Address | Ending Address |
/// </code>
/// TS_IPV4_ADDR_RANGE (7) is 16 octets long, TS_IPV6_ADDR_RANGE (8) 40.
/// </remarks>
internal sealed record TrafficSelector(byte IpProtocol, ushort StartPort, ushort EndPort, byte[] StartAddress, byte[] EndAddress)
{
    public TrafficSelectorType TsType => StartAddress.Length == 4 ? TrafficSelectorType.IPv4AddressRange : TrafficSelectorType.IPv6AddressRange;

    public int EncodedLength => 8 + 2 * StartAddress.Length;

    public IPAddress First => new(StartAddress);

    /// <summary>Parses <c>ADDR/PREFIX</c> (or a single address) into an any-protocol, any-port selector.</summary>
    public static bool TryParseCidr(string text, out TrafficSelector? selector)
    {
        selector = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        var bits = bytes.Length * 8;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }

        var start = (byte[])bytes.Clone();
        var end = (byte[])bytes.Clone();
        for (var i = 0; i < bits; i++)
        {
            if (i < prefix)
            {
                continue;
            }

            var mask = (byte)(0x80 >> (i % 8));
            start[i / 8] &= (byte)~mask;
            end[i / 8] |= mask;
        }

        selector = new TrafficSelector(0, 0, 65535, start, end);
        return true;
    }

    public static TrafficSelector ParseCidr(string text) =>
        TryParseCidr(text, out var selector) ? selector! : throw new FormatException($"not an address or CIDR: {text}");

    /// <summary>The selector of a received TS payload; null for types other than the IPv4/IPv6 address ranges.</summary>
    public static TrafficSelector? From(IkeTrafficSelector view) => view.IsAddressRange
        ? new TrafficSelector((byte)view.IPProtocol, view.StartPort, view.EndPort, view.StartAddress.ToArray(), view.EndAddress.ToArray())
        : null;

    public void Write(List<byte> output)
    {
        output.Add((byte)TsType);
        output.Add(IpProtocol);
        output.Add((byte)(EncodedLength >> 8));
        output.Add((byte)EncodedLength);
        output.Add((byte)(StartPort >> 8));
        output.Add((byte)StartPort);
        output.Add((byte)(EndPort >> 8));
        output.Add((byte)EndPort);
        output.AddRange(StartAddress);
        output.AddRange(EndAddress);
    }

    public bool Contains(IPAddress address)
    {
        var bytes = address.AddressFamily == AddressFamily.InterNetworkV6 && StartAddress.Length == 4 && address.IsIPv4MappedToIPv6
            ? address.MapToIPv4().GetAddressBytes()
            : address.GetAddressBytes();
        return bytes.Length == StartAddress.Length
            && bytes.AsSpan().SequenceCompareTo(StartAddress) >= 0
            && bytes.AsSpan().SequenceCompareTo(EndAddress) <= 0;
    }

    /// <summary>The common part of two selectors, or null when they do not overlap (narrowing, RFC 7296 §2.9).</summary>
    public TrafficSelector? Intersect(TrafficSelector other)
    {
        if (other.StartAddress.Length != StartAddress.Length)
        {
            return null;
        }

        if (IpProtocol != 0 && other.IpProtocol != 0 && IpProtocol != other.IpProtocol)
        {
            return null;
        }

        var start = StartAddress.AsSpan().SequenceCompareTo(other.StartAddress) >= 0 ? StartAddress : other.StartAddress;
        var end = EndAddress.AsSpan().SequenceCompareTo(other.EndAddress) <= 0 ? EndAddress : other.EndAddress;
        var startPort = Math.Max(StartPort, other.StartPort);
        var endPort = Math.Min(EndPort, other.EndPort);
        if (start.AsSpan().SequenceCompareTo(end) > 0 || startPort > endPort)
        {
            return null;
        }

        return new TrafficSelector(IpProtocol != 0 ? IpProtocol : other.IpProtocol, (ushort)startPort, (ushort)endPort, start, end);
    }

    public override string ToString()
    {
        var text = $"{new IPAddress(StartAddress)}..{new IPAddress(EndAddress)}";
        return IpProtocol == 0 && StartPort == 0 && EndPort == 65535 ? text : $"{text}[{IpProtocol}/{StartPort}-{EndPort}]";
    }
}
