using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Visibility.Wire;

namespace Visibility.Engine.Flows;

/// <summary>Identity of a flow. Port and protocol flows are direction-less (both directions are one flow, endpoints
/// ordered); ESP flows keep their direction, because an SA is one-way (RFC 4303 §2.1), and include the SPI and,
/// when UDP-encapsulated, the ports (RFC 5879 §3: the cache is keyed by addresses, SPI and ports).</summary>
/// <remarks>The hash is taken once per packet, so it is one pass over the key's six 64-bit words: three keyed
/// folded multiplies (the 128-bit product of two words, high half xor low half) and a final one. The keys are random
/// per process, so traffic cannot be crafted to collide in the flow table.</remarks>
public readonly struct FlowKey : IEquatable<FlowKey>
{
    private static readonly ulong s_key0 = RandomWord();
    private static readonly ulong s_key1 = RandomWord();
    private static readonly ulong s_key2 = RandomWord();
    private static readonly ulong s_key3 = RandomWord();
    private static readonly ulong s_key4 = RandomWord();
    private static readonly ulong s_key5 = RandomWord();
    private static readonly ulong s_key6 = RandomWord();

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

    /// <summary>Ports, protocol and the flags in one word: with the addresses' words and the SPI, the whole key.</summary>
    private ulong Tail
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => FirstPort | (ulong)SecondPort << 16 | (ulong)(byte)Protocol << 32 | (IsEsp ? 1UL << 40 : 0)
        | (First.IsIPv4 ? 1UL << 41 : 0) | (Second.IsIPv4 ? 1UL << 42 : 0);
    }

    public bool Equals(FlowKey other) => Equals(in this, in other);

    /// <summary>Equality without copying either key (the flow table compares against the key inside a flow object).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Equals(in FlowKey a, in FlowKey b) =>
        a.First.Low == b.First.Low && a.Second.Low == b.Second.Low && a.Spi == b.Spi && a.Tail == b.Tail
        && a.First.High == b.First.High && a.Second.High == b.Second.High;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override int GetHashCode()
    {
        ulong h = Fold(First.High ^ s_key0, First.Low ^ s_key1)
            ^ Fold(Second.High ^ s_key2, Second.Low ^ s_key3)
            ^ Fold(Tail ^ s_key4, Spi ^ s_key5);
        h = Fold(h, s_key6);
        return (int)h;
    }

    private static ulong Fold(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }

    private static ulong RandomWord()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        // Odd, so the final multiply by it never loses bits.
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes) | 1;
    }

    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);

    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);
}
