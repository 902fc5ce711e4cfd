using System.Numerics;

namespace Visibility.Engine.Esp;

/// <summary>A set of IP protocol numbers (the ESP Next Header values an SA carried) as a 256-bit map: fixed size, no
/// allocation, ascending enumeration for EVE <c>esp.next_headers</c>.</summary>
public readonly struct NextHeaderSet : IEquatable<NextHeaderSet>
{
    private readonly ulong _bits0;
    private readonly ulong _bits1;
    private readonly ulong _bits2;
    private readonly ulong _bits3;

    private NextHeaderSet(ulong bits0, ulong bits1, ulong bits2, ulong bits3)
    {
        _bits0 = bits0;
        _bits1 = bits1;
        _bits2 = bits2;
        _bits3 = bits3;
    }

    public int Count =>
        BitOperations.PopCount(_bits0) + BitOperations.PopCount(_bits1) + BitOperations.PopCount(_bits2) + BitOperations.PopCount(_bits3);

    public bool IsEmpty => (_bits0 | _bits1 | _bits2 | _bits3) == 0;

    public bool Contains(byte value) => (Word(value >> 6) >> (value & 63) & 1) != 0;

    /// <summary>A set with <paramref name="value"/> added.</summary>
    public NextHeaderSet Add(byte value)
    {
        ulong bit = 1UL << (value & 63);
        return (value >> 6) switch
        {
            0 => new NextHeaderSet(_bits0 | bit, _bits1, _bits2, _bits3),
            1 => new NextHeaderSet(_bits0, _bits1 | bit, _bits2, _bits3),
            2 => new NextHeaderSet(_bits0, _bits1, _bits2 | bit, _bits3),
            _ => new NextHeaderSet(_bits0, _bits1, _bits2, _bits3 | bit),
        };
    }

    /// <summary>The union of two sets.</summary>
    public NextHeaderSet Union(NextHeaderSet other) =>
        new(_bits0 | other._bits0, _bits1 | other._bits1, _bits2 | other._bits2, _bits3 | other._bits3);

    /// <summary>Writes the members in ascending order; returns how many were written (at most the destination's length).</summary>
    public int CopyTo(Span<byte> destination)
    {
        int written = 0;
        for (int word = 0; word < 4; word++)
        {
            ulong bits = Word(word);
            while (bits != 0 && written < destination.Length)
            {
                int bit = BitOperations.TrailingZeroCount(bits);
                destination[written++] = (byte)(word * 64 + bit);
                bits &= bits - 1;
            }
        }
        return written;
    }

    private ulong Word(int index) => index switch
    {
        0 => _bits0,
        1 => _bits1,
        2 => _bits2,
        _ => _bits3,
    };

    public bool Equals(NextHeaderSet other) =>
        _bits0 == other._bits0 && _bits1 == other._bits1 && _bits2 == other._bits2 && _bits3 == other._bits3;

    public override bool Equals(object? obj) => obj is NextHeaderSet other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_bits0, _bits1, _bits2, _bits3);

    public static bool operator ==(NextHeaderSet left, NextHeaderSet right) => left.Equals(right);

    public static bool operator !=(NextHeaderSet left, NextHeaderSet right) => !left.Equals(right);
}
