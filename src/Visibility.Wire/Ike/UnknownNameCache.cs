namespace Visibility.Wire.Ike;

/// <summary>Names for unassigned numbers, <c>UNKNOWN_&lt;n&gt;</c>, made once per number and kept.</summary>
/// <remarks>The first lookup of an unknown number allocates its string (and a 256-entry block for its range);
/// every later lookup returns the same instance, so steady-state lookups do not allocate. Memory is bounded by
/// the numbers actually seen (at most 65,536 per cache). Thread-safe: a race may build a name twice, and one of
/// the two equal instances wins.</remarks>
internal sealed class UnknownNameCache
{
    private const int BlockSize = 256;
    private readonly string?[]?[] _blocks = new string?[]?[65536 / BlockSize];

    public string Get(int value)
    {
        int blockIndex = (value >> 8) & 0xFF;
        string?[]? block = Volatile.Read(ref _blocks[blockIndex]);
        if (block is null)
        {
            Interlocked.CompareExchange(ref _blocks[blockIndex], new string?[BlockSize], null);
            block = Volatile.Read(ref _blocks[blockIndex])!;
        }
        int slot = value & 0xFF;
        string? name = Volatile.Read(ref block[slot]);
        if (name is null)
        {
            Interlocked.CompareExchange(ref block[slot], "UNKNOWN_" + value.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
            name = Volatile.Read(ref block[slot])!;
        }
        return name;
    }
}
