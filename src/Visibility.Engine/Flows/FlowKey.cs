using Visibility.Wire;

namespace Visibility.Engine.Flows;

/// <summary>Identity of a flow. Port and protocol flows are direction-less (both directions are one flow, endpoints
/// ordered); ESP flows keep their direction, because an SA is one-way (RFC 4303 §2.1), and include the SPI and,
/// when UDP-encapsulated, the ports (RFC 5879 §3: the cache is keyed by addresses, SPI and ports).</summary>
public readonly struct FlowKey : IEquatable<FlowKey>
{
    private FlowKey(NetworkAddress first, NetworkAddress second, ushort firstPort, ushort secondPort, IPProtocol protocol, uint spi, bool isEsp)
    {
        First = first;
        Second = second;
        FirstPort = firstPort;
        SecondPort = secondPort;
        Protocol = protocol;
        Spi = spi;
        IsEsp = isEsp;
    }

    public NetworkAddress First { get; }

    public NetworkAddress Second { get; }

    public ushort FirstPort { get; }

    public ushort SecondPort { get; }

    /// <summary>The IP protocol of the outer packet (UDP for encapsulated ESP).</summary>
    public IPProtocol Protocol { get; }

    public uint Spi { get; }

    public bool IsEsp { get; }

    /// <summary>A direction-less key: the lower (address, port) endpoint comes first.</summary>
    public static FlowKey ForPorts(NetworkAddress source, ushort sourcePort, NetworkAddress destination, ushort destinationPort, IPProtocol protocol)
    {
        int c = source.CompareTo(destination);
        bool swap = c > 0 || (c == 0 && sourcePort > destinationPort);
        return swap
            ? new FlowKey(destination, source, destinationPort, sourcePort, protocol, 0, false)
            : new FlowKey(source, destination, sourcePort, destinationPort, protocol, 0, false);
    }

    /// <summary>A directed key for one ESP SA: source, destination, SPI and (UDP-encapsulated) the ports.</summary>
    public static FlowKey ForEsp(NetworkAddress source, NetworkAddress destination, uint spi, ushort sourcePort, ushort destinationPort, IPProtocol protocol) =>
        new(source, destination, sourcePort, destinationPort, protocol, spi, true);

    public bool Equals(FlowKey other) =>
        First.Equals(other.First) && Second.Equals(other.Second) && FirstPort == other.FirstPort && SecondPort == other.SecondPort
        && Protocol == other.Protocol && Spi == other.Spi && IsEsp == other.IsEsp;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() =>
        HashCode.Combine(First, Second, FirstPort | (SecondPort << 16), (int)Protocol | (IsEsp ? 0x100 : 0), Spi);

    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);

    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);
}
