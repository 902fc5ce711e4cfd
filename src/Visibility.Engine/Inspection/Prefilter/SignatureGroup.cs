using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Prefilter;

/// <summary>The signatures one packet may meet through one bucket (a protocol, optionally one port): those without
/// a fast pattern are evaluated every time; the others only when the prefilter saw their fast pattern.</summary>
internal sealed class SignatureGroup
{
    private SignatureGroup(int[] always, PatternMatcher? matcher, int[][] byPattern, int slotBase)
    {
        Always = always;
        Matcher = matcher;
        ByPattern = byPattern;
        SlotBase = slotBase;
    }

    /// <summary>Indices (into the rule set) of signatures with no fast pattern.</summary>
    public int[] Always { get; }

    public PatternMatcher? Matcher { get; }

    /// <summary>Per matcher pattern, the indices of the signatures whose fast pattern it is.</summary>
    public int[][] ByPattern { get; }

    /// <summary>First slot of this group's patterns in the evaluator's pattern stamp array.</summary>
    public int SlotBase { get; }

    public int SignatureCount => Always.Length + ByPattern.Sum(s => s.Length);

    /// <summary>True when the group holds no signature.</summary>
    public bool IsEmpty => Always.Length == 0 && Matcher is null;

    /// <summary>Builds a group from signature indices (ascending, distinct).</summary>
    public static SignatureGroup Create(IReadOnlyList<int> signatures, IReadOnlyList<Signature?> all, ref int nextSlot)
    {
        var always = new List<int>();
        var patterns = new List<byte[]>();
        var noCase = new List<bool>();
        var bySignature = new List<List<int>>();
        var index = new Dictionary<(string, bool), int>();
        foreach (int s in signatures)
        {
            ContentItem? fast = all[s]?.FastPattern;
            if (fast is null)
            {
                always.Add(s);
                continue;
            }
            byte[] bytes = PatternMatcher.FoldedPattern(fast);
            var key = (Convert.ToHexString(bytes), fast.NoCase);
            if (!index.TryGetValue(key, out int p))
            {
                p = patterns.Count;
                index[key] = p;
                patterns.Add(bytes);
                noCase.Add(fast.NoCase);
                bySignature.Add([]);
            }
            bySignature[p].Add(s);
        }
        PatternMatcher? matcher = patterns.Count > 0 ? PatternMatcher.Create(patterns, noCase) : null;
        int slotBase = nextSlot;
        nextSlot += patterns.Count;
        return new SignatureGroup([.. always], matcher, [.. bySignature.Select(l => l.ToArray())], slotBase);
    }
}
