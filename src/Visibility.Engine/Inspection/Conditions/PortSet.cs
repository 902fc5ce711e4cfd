using System.Globalization;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>A compiled port specification. A packet without ports (ICMP, native ESP) matches only <c>any</c>.</summary>
internal sealed class PortSet : ISpecSet<PortSet>
{
    public PortSet(IntervalSet<ushort> ports) => Ports = ports;

    public static PortSet Any { get; } = new(IntervalSet<ushort>.All);

    public static PortSet AnySet => Any;

    public static PortSet EmptySet { get; } = new(IntervalSet<ushort>.Empty);

    public static string LeafDescription => "a port (N, a:b, a: or :b)";

    public IntervalSet<ushort> Ports { get; }

    public bool IsAny => Ports.IsAll;

    public bool IsEmptySet => Ports.IsEmpty;

    public bool Contains(bool hasPorts, ushort port) => Ports.IsAll || (hasPorts && Ports.Contains(port));

    public PortSet UnionWith(PortSet other) => new(Ports.Union(other.Ports));

    public PortSet Without(PortSet other) => new(Ports.Subtract(other.Ports));

    public PortSet Inverted() => new(Ports.Complement());

    public static PortSet ParseLeaf(string text, int offset)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            ushort port = ParsePort(text, offset);
            return new PortSet(IntervalSet<ushort>.Range(port, port));
        }
        string low = text[..colon];
        string high = text[(colon + 1)..];
        if (low.Length == 0 && high.Length == 0)
        {
            throw new RuleSyntaxException(offset, "expected a port range a:b, a: or :b, found ':'");
        }
        ushort first = low.Length == 0 ? (ushort)0 : ParsePort(low, offset);
        ushort last = high.Length == 0 ? ushort.MaxValue : ParsePort(high, offset + colon + 1);
        if (first > last)
        {
            throw new RuleSyntaxException(offset, $"port range '{text}' ends before it starts");
        }
        return new PortSet(IntervalSet<ushort>.Range(first, last));
    }

    private static ushort ParsePort(string text, int offset)
    {
        if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
        {
            throw new RuleSyntaxException(offset, $"expected a port number 0-65535, found '{text}'");
        }
        return port;
    }
}
