using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>A compiled address specification: the IPv4 and IPv6 addresses it covers.</summary>
/// <remarks>A packet without an address (a frame that never reached IP) matches only <c>any</c>.</remarks>
internal sealed class AddressSet : ISpecSet<AddressSet>
{
    public AddressSet(IntervalSet<uint> v4, IntervalSet<UInt128> v6)
    {
        V4 = v4;
        V6 = v6;
    }

    public static AddressSet Any { get; } = new(IntervalSet<uint>.All, IntervalSet<UInt128>.All);

    public static AddressSet None { get; } = new(IntervalSet<uint>.Empty, IntervalSet<UInt128>.Empty);

    public static AddressSet AnySet => Any;

    public static AddressSet EmptySet => None;

    public static string LeafDescription => "an address (IPv4/IPv6, CIDR or range a-b)";

    public IntervalSet<uint> V4 { get; }

    public IntervalSet<UInt128> V6 { get; }

    public bool IsAny => V4.IsAll && V6.IsAll;

    public bool IsEmptySet => V4.IsEmpty && V6.IsEmpty;

    public bool Contains(in AddressKey key) => key.Family switch
    {
        4 => V4.Contains(key.V4),
        6 => V6.Contains(key.V6),
        _ => IsAny,
    };

    public AddressSet UnionWith(AddressSet other) => new(V4.Union(other.V4), V6.Union(other.V6));

    public AddressSet Without(AddressSet other) => new(V4.Subtract(other.V4), V6.Subtract(other.V6));

    public AddressSet Inverted() => new(V4.Complement(), V6.Complement());

    /// <summary>Parses <c>a.b.c.d</c>, an IPv6 address, <c>addr/prefix</c>, <c>a.b.c.d/netmask</c> or
    /// <c>first-last</c>.</summary>
    public static AddressSet ParseLeaf(string text, int offset)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            (bool v4, UInt128 value) = ParseAddress(text[..slash], offset);
            string prefixText = text[(slash + 1)..];
            int bits = v4 ? 32 : 128;
            int prefix;
            if (v4 && prefixText.Contains('.', StringComparison.Ordinal))
            {
                (bool maskV4, UInt128 mask) = ParseAddress(prefixText, offset + slash + 1);
                uint m = (uint)mask;
                int ones = System.Numerics.BitOperations.PopCount(m);
                if (!maskV4 || (ones < 32 && m != uint.MaxValue << (32 - ones)) || (ones == 0 && m != 0))
                {
                    throw new RuleSyntaxException(offset + slash + 1, $"expected a contiguous IPv4 netmask, found '{prefixText}'");
                }
                prefix = ones;
            }
            else if (!int.TryParse(prefixText, System.Globalization.NumberStyles.None, null, out prefix) || prefix > bits)
            {
                throw new RuleSyntaxException(offset + slash + 1, $"expected a prefix length 0-{bits}, found '{prefixText}'");
            }
            if (v4)
            {
                uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
                uint first = (uint)value & mask;
                return new AddressSet(IntervalSet<uint>.Range(first, first | ~mask), IntervalSet<UInt128>.Empty);
            }
            UInt128 mask6 = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
            UInt128 first6 = value & mask6;
            return new AddressSet(IntervalSet<uint>.Empty, IntervalSet<UInt128>.Range(first6, first6 | ~mask6));
        }
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            (bool v4a, UInt128 a) = ParseAddress(text[..dash], offset);
            (bool v4b, UInt128 b) = ParseAddress(text[(dash + 1)..], offset + dash + 1);
            if (v4a != v4b)
            {
                throw new RuleSyntaxException(offset + dash + 1, "expected both ends of an address range in the same family");
            }
            if (a > b)
            {
                throw new RuleSyntaxException(offset, $"address range '{text}' ends before it starts");
            }
            return v4a
                ? new AddressSet(IntervalSet<uint>.Range((uint)a, (uint)b), IntervalSet<UInt128>.Empty)
                : new AddressSet(IntervalSet<uint>.Empty, IntervalSet<UInt128>.Range(a, b));
        }
        (bool isV4, UInt128 single) = ParseAddress(text, offset);
        return isV4
            ? new AddressSet(IntervalSet<uint>.Range((uint)single, (uint)single), IntervalSet<UInt128>.Empty)
            : new AddressSet(IntervalSet<uint>.Empty, IntervalSet<UInt128>.Range(single, single));
    }

    private static (bool IsV4, UInt128 Value) ParseAddress(string text, int offset)
    {
        if (text.Length == 0 || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out IPAddress? address)
            || (address.AddressFamily == AddressFamily.InterNetwork && !IsDottedQuad(text)))
        {
            throw new RuleSyntaxException(offset, $"expected an IPv4 or IPv6 address, found '{text}'");
        }
        byte[] bytes = address.GetAddressBytes();
        return bytes.Length == 4
            ? (true, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : (false, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    // IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthands; rules want four decimal octets.
    private static bool IsDottedQuad(string text)
    {
        int dots = 0;
        foreach (char c in text)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return dots == 3;
    }
}
