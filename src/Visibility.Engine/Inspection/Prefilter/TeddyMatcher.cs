using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>Finds which of a group's fast patterns occur in a payload with a vectorised fingerprint search over the
/// bytes themselves (the "Teddy" technique): the first three bytes of every pattern select up to eight buckets per
/// position, and only positions where some bucket survives all three bytes are verified.</summary>
/// <remarks>
/// <para>Per byte offset k = 0, 1, 2 two 16-entry tables, indexed by the low and the high nibble of the byte at
/// position + k, give the set of buckets (one bit each) that have a pattern whose k-th byte may have that nibble;
/// a byte is allowed for a bucket when both of its nibbles are, and a position is a candidate for a bucket when
/// its three bytes are. The nibble tables are a superset test (any low nibble with any high nibble of a bucket's
/// bytes passes), a nocase pattern allows both cases of each ASCII letter, and a pattern shorter than three bytes
/// allows any byte past its end; verification is exact, so the result is exactly the set of patterns that occur.
/// With one table lookup per nibble done by a byte shuffle, 64 (AVX-512) or 32 (AVX2) positions are tested per
/// step; there is no widening to chars, unlike SearchValues of strings.</para>
/// <para>Up to eight patterns get a bucket each; more share buckets (sorted by their first bytes so that similar
/// patterns share one), which makes candidates more frequent: <see cref="PatternMatcher.Create"/> uses this
/// matcher alone for groups of up to <see cref="PatternMatcher.TeddyLimit"/> patterns, and within
/// <see cref="TeddyOrAutomatonMatcher"/> for binary payloads of groups of up to a few hundred.</para>
/// </remarks>
internal sealed class TeddyMatcher : PatternMatcher
{
    private const int BucketCount = 8;
    private const int FingerprintLength = 3;

    private readonly byte[][] _patterns;
    private readonly bool[] _noCase;
    private readonly int[][] _bucketPatterns;
    private readonly int _minLength;

    // Per pattern, its first four bytes as a little-endian word and the mask a candidate's word is compared under
    // (0 past the pattern's end, 0xDF on a nocase letter, so both cases pass): most candidates at a position fail this
    // one compare instead of a full comparison each.
    private readonly uint[] _prefixWords;
    private readonly uint[] _prefixMasks;

    // Per offset k: low-nibble table, high-nibble table (16 entries each), as 16-byte rows for the scalar path and
    // broadcast to every 128-bit lane for the shuffles.
    private readonly byte[] _tables = new byte[FingerprintLength * 2 * 16];
    private readonly Vector512<byte> _lo0, _hi0, _lo1, _hi1, _lo2, _hi2;

    /// <param name="patterns">Pattern bytes (at least one byte each); nocase patterns already folded to lowercase ASCII.</param>
    /// <param name="noCase">Per pattern, whether it ignores ASCII case.</param>
    public TeddyMatcher(IReadOnlyList<byte[]> patterns, IReadOnlyList<bool> noCase)
    {
        int n = patterns.Count;
        if (n == 0)
        {
            throw new ArgumentException("at least one pattern is needed", nameof(patterns));
        }
        _patterns = new byte[n][];
        _noCase = new bool[n];
        _minLength = int.MaxValue;
        for (int i = 0; i < n; i++)
        {
            if (patterns[i].Length == 0)
            {
                throw new ArgumentException("patterns must not be empty", nameof(patterns));
            }
            _patterns[i] = patterns[i];
            _noCase[i] = noCase[i];
            _minLength = Math.Min(_minLength, patterns[i].Length);
        }
        _prefixWords = new uint[n];
        _prefixMasks = new uint[n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < Math.Min(4, _patterns[i].Length); k++)
            {
                byte value = _patterns[i][k];
                uint mask = _noCase[i] && value is >= (byte)'a' and <= (byte)'z' ? 0xDFu : 0xFFu;
                _prefixMasks[i] |= mask << (8 * k);
                _prefixWords[i] |= (value & mask) << (8 * k);
            }
        }

        // Similar first bytes share a bucket, so a shared bucket costs fewer extra candidates.
        int[] order = [.. Enumerable.Range(0, n).OrderBy(i => Prefix(_patterns[i]), StringComparer.Ordinal).ThenBy(i => i)];
        var buckets = new List<int>[BucketCount];
        for (int b = 0; b < BucketCount; b++)
        {
            buckets[b] = [];
        }
        for (int rank = 0; rank < n; rank++)
        {
            int bucket = n <= BucketCount ? rank : (int)((long)rank * BucketCount / n);
            buckets[bucket].Add(order[rank]);
        }
        _bucketPatterns = [.. buckets.Select(b => b.Order().ToArray())];

        for (int b = 0; b < BucketCount; b++)
        {
            byte bit = (byte)(1 << b);
            foreach (int p in _bucketPatterns[b])
            {
                for (int k = 0; k < FingerprintLength; k++)
                {
                    Span<byte> lo = _tables.AsSpan(k * 32, 16);
                    Span<byte> hi = _tables.AsSpan(k * 32 + 16, 16);
                    if (_patterns[p].Length <= k)
                    {
                        for (int x = 0; x < 16; x++)
                        {
                            lo[x] |= bit;
                            hi[x] |= bit;
                        }
                        continue;
                    }
                    byte value = _patterns[p][k];
                    Allow(lo, hi, value, bit);
                    if (_noCase[p] && value is >= (byte)'a' and <= (byte)'z')
                    {
                        Allow(lo, hi, (byte)(value - 0x20), bit);
                    }
                }
            }
        }
        (RandomCandidateRate, RandomVerifyRate) = CandidateRates();
        _lo0 = Broadcast(0);
        _hi0 = Broadcast(16);
        _lo1 = Broadcast(32);
        _hi1 = Broadcast(48);
        _lo2 = Broadcast(64);
        _hi2 = Broadcast(80);
    }

    public override int PatternCount => _patterns.Length;

    /// <summary>The expected share of positions of uniformly random bytes that are candidates for some bucket (the sum
    /// over buckets of the product, over the three fingerprint bytes, of the share of byte values the bucket allows):
    /// what encrypted payloads cost in verification, against which <see cref="TeddyOrAutomatonMatcher"/> sets its budget.</summary>
    public double RandomCandidateRate { get; }

    /// <summary>The expected number of patterns verified per byte of uniformly random bytes (each bucket's candidate
    /// share times its pattern count): what a fingerprint search of random payloads costs beyond the scan itself.</summary>
    public double RandomVerifyRate { get; }

    public override int Scan(ref ScanBuffer payload, int[] stamps, int slotBase, int generation, Span<int> hits) =>
        Scan(payload.Bytes, stamps, slotBase, generation, hits);

    /// <summary>As <see cref="PatternMatcher.Scan"/>, over the bytes.</summary>
    public int Scan(ReadOnlySpan<byte> text, int[] stamps, int slotBase, int generation, Span<int> hits)
    {
        int budget = int.MaxValue;
        return Scan(text, stamps, slotBase, generation, hits, ref budget);
    }

    /// <summary>As <see cref="PatternMatcher.Scan"/>, over the bytes, giving up when a vector step would take the
    /// candidate positions verified past <paramref name="budget"/>, which each step decreases by its candidates (the
    /// final, overlapping step and the last two positions are not counted). A negative budget on return says it gave
    /// up: the patterns returned were found before that, and the rest of the payload was not searched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Scan(ReadOnlySpan<byte> text, int[] stamps, int slotBase, int generation, Span<int> hits, ref int budget)
    {
        int count = 0;
        int length = text.Length;
        if (length < _minLength)
        {
            return 0;
        }
        ref byte start = ref MemoryMarshal.GetReference(text);
        int i = 0;
        // Vector steps, then one last step that overlaps the previous one so that only the final two positions
        // (whose fingerprint would reach past the end) are left for the byte loop; positions tested twice are
        // masked off.
        if (Avx512BW.IsSupported && length >= Vector512<byte>.Count + FingerprintLength - 1)
        {
            int last = length - (Vector512<byte>.Count + FingerprintLength - 1);
            while (true)
            {
                i = NextCandidates512(ref start, i, last, out ulong candidates, out Vector512<byte> m);
                if (i > last)
                {
                    break;
                }
                if ((budget -= BitOperations.PopCount(candidates)) < 0)
                {
                    return count;
                }
                if (VerifyCandidates(text, i, candidates, m, stamps, slotBase, generation, hits, ref count))
                {
                    return count;
                }
                i += Vector512<byte>.Count;
            }
            if (i < last + Vector512<byte>.Count
                && NextCandidates512(ref start, last, last, out ulong overlap, out Vector512<byte> bits) == last
                && (overlap &= ulong.MaxValue << (i - last)) != 0
                && VerifyCandidates(text, last, overlap, bits, stamps, slotBase, generation, hits, ref count))
            {
                return count;
            }
            i = last + Vector512<byte>.Count;
        }
        else if (Avx2.IsSupported && length >= Vector256<byte>.Count + FingerprintLength - 1)
        {
            int last = length - (Vector256<byte>.Count + FingerprintLength - 1);
            while (true)
            {
                i = NextCandidates256(ref start, i, last, out uint candidates, out Vector256<byte> m);
                if (i > last)
                {
                    break;
                }
                if ((budget -= BitOperations.PopCount(candidates)) < 0)
                {
                    return count;
                }
                if (VerifyCandidates(text, i, candidates, m.ToVector512Unsafe(), stamps, slotBase, generation, hits, ref count))
                {
                    return count;
                }
                i += Vector256<byte>.Count;
            }
            if (i < last + Vector256<byte>.Count
                && NextCandidates256(ref start, last, last, out uint overlap, out Vector256<byte> bits) == last
                && (overlap &= uint.MaxValue << (i - last)) != 0
                && VerifyCandidates(text, last, overlap, bits.ToVector512Unsafe(), stamps, slotBase, generation, hits, ref count))
            {
                return count;
            }
            i = last + Vector256<byte>.Count;
        }

        // The last two positions (all of a short payload, and machines without AVX2): the same tables one byte at a time; a fingerprint byte past the end
        // allows every bucket, and verification rejects what does not fit.
        for (; i < length; i++)
        {
            int bits = Bits(0, text[i]);
            if (bits != 0 && i + 1 < length)
            {
                bits &= Bits(1, text[i + 1]);
                if (bits != 0 && i + 2 < length)
                {
                    bits &= Bits(2, text[i + 2]);
                }
            }
            if (bits != 0 && VerifyBuckets(text, i, bits, stamps, slotBase, generation, hits, ref count))
            {
                return count;
            }
        }
        return count;
    }

    /// <summary>From <paramref name="i"/> in 64-byte steps up to <paramref name="last"/>: the first step with a candidate
    /// position (its offset, the candidate bits and the bucket bytes), or an offset past <paramref name="last"/>.
    /// A loop without calls, so the tables stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NextCandidates512(ref byte start, int i, int last, out ulong candidates, out Vector512<byte> m)
    {
        Vector512<byte> nibble = Vector512.Create((byte)0x0F);
        Vector512<byte> lo0 = _lo0, hi0 = _hi0, lo1 = _lo1, hi1 = _hi1, lo2 = _lo2, hi2 = _hi2;
        for (; i <= last; i += Vector512<byte>.Count)
        {
            Vector512<byte> b0 = Vector512.LoadUnsafe(ref start, (nuint)i);
            Vector512<byte> b1 = Vector512.LoadUnsafe(ref start, (nuint)i + 1);
            Vector512<byte> b2 = Vector512.LoadUnsafe(ref start, (nuint)i + 2);
            Vector512<byte> mask = Avx512BW.Shuffle(lo0, b0 & nibble) & Avx512BW.Shuffle(hi0, Avx512BW.ShiftRightLogical(b0.AsUInt16(), 4).AsByte() & nibble)
                & Avx512BW.Shuffle(lo1, b1 & nibble) & Avx512BW.Shuffle(hi1, Avx512BW.ShiftRightLogical(b1.AsUInt16(), 4).AsByte() & nibble)
                & Avx512BW.Shuffle(lo2, b2 & nibble) & Avx512BW.Shuffle(hi2, Avx512BW.ShiftRightLogical(b2.AsUInt16(), 4).AsByte() & nibble);
            ulong bits = Avx512BW.CompareNotEqual(mask, Vector512<byte>.Zero).ExtractMostSignificantBits();
            if (bits != 0)
            {
                candidates = bits;
                m = mask;
                return i;
            }
        }
        candidates = 0;
        m = default;
        return i;
    }

    /// <summary>As <see cref="NextCandidates512"/> in 32-byte steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NextCandidates256(ref byte start, int i, int last, out uint candidates, out Vector256<byte> m)
    {
        Vector256<byte> nibble = Vector256.Create((byte)0x0F);
        Vector256<byte> lo0 = _lo0.GetLower(), hi0 = _hi0.GetLower(), lo1 = _lo1.GetLower(), hi1 = _hi1.GetLower();
        Vector256<byte> lo2 = _lo2.GetLower(), hi2 = _hi2.GetLower();
        for (; i <= last; i += Vector256<byte>.Count)
        {
            Vector256<byte> b0 = Vector256.LoadUnsafe(ref start, (nuint)i);
            Vector256<byte> b1 = Vector256.LoadUnsafe(ref start, (nuint)i + 1);
            Vector256<byte> b2 = Vector256.LoadUnsafe(ref start, (nuint)i + 2);
            Vector256<byte> mask = Avx2.Shuffle(lo0, b0 & nibble) & Avx2.Shuffle(hi0, Avx2.ShiftRightLogical(b0.AsUInt16(), 4).AsByte() & nibble)
                & Avx2.Shuffle(lo1, b1 & nibble) & Avx2.Shuffle(hi1, Avx2.ShiftRightLogical(b1.AsUInt16(), 4).AsByte() & nibble)
                & Avx2.Shuffle(lo2, b2 & nibble) & Avx2.Shuffle(hi2, Avx2.ShiftRightLogical(b2.AsUInt16(), 4).AsByte() & nibble);
            uint bits = ~Vector256.Equals(mask, Vector256<byte>.Zero).ExtractMostSignificantBits();
            if (bits != 0)
            {
                candidates = bits;
                m = mask;
                return i;
            }
        }
        candidates = 0;
        m = default;
        return i;
    }

    /// <summary>Verifies every candidate position of one vector step; true when every pattern has been found.</summary>
    private bool VerifyCandidates(ReadOnlySpan<byte> text, int offset, ulong candidates, Vector512<byte> buckets, int[] stamps,
        int slotBase, int generation, Span<int> hits, ref int count)
    {
        Span<byte> bits = stackalloc byte[Vector512<byte>.Count];
        buckets.StoreUnsafe(ref MemoryMarshal.GetReference(bits));
        while (candidates != 0)
        {
            int j = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            if (VerifyBuckets(text, offset + j, bits[j], stamps, slotBase, generation, hits, ref count))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Verifies the patterns of the buckets in <paramref name="bits"/> at <paramref name="at"/>; true when every
    /// pattern has been found.</summary>
    private bool VerifyBuckets(ReadOnlySpan<byte> text, int at, int bits, int[] stamps, int slotBase, int generation,
        Span<int> hits, ref int count)
    {
        // Near the end fewer than four bytes remain: a word with zeros there only passes patterns that end as early,
        // and Verify checks every length.
        uint word = text.Length - at >= 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(text[at..])
            : TailWord(text[at..]);
        while (bits != 0)
        {
            int bucket = BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
            foreach (int p in _bucketPatterns[bucket])
            {
                if ((word & _prefixMasks[p]) != _prefixWords[p])
                {
                    continue;
                }
                ref int stamp = ref stamps[slotBase + p];
                if (stamp != generation && Verify(text, at, p))
                {
                    stamp = generation;
                    hits[count++] = p;
                    if (count == _patterns.Length)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static uint TailWord(ReadOnlySpan<byte> tail)
    {
        uint word = 0;
        for (int k = 0; k < tail.Length; k++)
        {
            word |= (uint)tail[k] << (8 * k);
        }
        return word;
    }

    private bool Verify(ReadOnlySpan<byte> text, int at, int pattern)
    {
        byte[] p = _patterns[pattern];
        if (text.Length - at < p.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> candidate = text.Slice(at, p.Length);
        return _noCase[pattern] ? ContentItem.EqualsFolded(candidate, p) : candidate.SequenceEqual(p);
    }

    private (double Candidates, double Verifications) CandidateRates()
    {
        double candidates = 0;
        double verifications = 0;
        for (int b = 0; b < BucketCount; b++)
        {
            if (_bucketPatterns[b].Length == 0)
            {
                continue;
            }
            double bucket = 1;
            for (int k = 0; k < FingerprintLength; k++)
            {
                int allowed = 0;
                for (int v = 0; v < 256; v++)
                {
                    allowed += (Bits(k, (byte)v) >> b) & 1;
                }
                bucket *= allowed / 256.0;
            }
            candidates += bucket;
            verifications += bucket * _bucketPatterns[b].Length;
        }
        return (candidates, verifications);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bits(int offset, byte value) => _tables[offset * 32 + (value & 0x0F)] & _tables[offset * 32 + 16 + (value >> 4)];

    private static void Allow(Span<byte> lo, Span<byte> hi, byte value, byte bit)
    {
        lo[value & 0x0F] |= bit;
        hi[value >> 4] |= bit;
    }

    private Vector512<byte> Broadcast(int row)
    {
        Vector128<byte> lane = Vector128.Create(_tables.AsSpan(row, 16));
        Vector256<byte> half = Vector256.Create(lane, lane);
        return Vector512.Create(half, half);
    }

    private static string Prefix(byte[] pattern) => Convert.ToHexString(pattern, 0, Math.Min(FingerprintLength, pattern.Length));
}
