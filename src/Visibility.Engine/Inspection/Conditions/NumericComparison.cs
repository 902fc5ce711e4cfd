using System.Globalization;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>A parsed numeric test: <c>N</c>, <c>=N</c>, <c>!N</c>, <c>&lt;N</c>, <c>&lt;=N</c>, <c>&gt;N</c>,
/// <c>&gt;=N</c>, <c>a&lt;&gt;b</c> or <c>a-b</c> (both exclusive). Numbers are decimal or <c>0x</c> hex.</summary>
internal readonly struct NumericComparison
{
    public NumericComparison(NumericOperator op, ulong value, ulong upper = 0)
    {
        Operator = op;
        Value = value;
        Upper = upper;
    }

    public NumericOperator Operator { get; }

    public ulong Value { get; }

    public ulong Upper { get; }

    public bool IsMatch(ulong candidate) => Operator switch
    {
        NumericOperator.Equal => candidate == Value,
        NumericOperator.NotEqual => candidate != Value,
        NumericOperator.Less => candidate < Value,
        NumericOperator.LessOrEqual => candidate <= Value,
        NumericOperator.Greater => candidate > Value,
        NumericOperator.GreaterOrEqual => candidate >= Value,
        _ => candidate > Value && candidate < Upper,
    };

    public static NumericComparison Parse(string text, int offset, ulong max)
    {
        string t = text.Trim();
        int lead = text.IndexOf(t, StringComparison.Ordinal);
        offset += Math.Max(lead, 0);
        if (t.Length == 0)
        {
            throw new RuleSyntaxException(offset, "expected a number or a comparison (N, !N, <N, >N, <=N, >=N, a<>b, a-b)");
        }
        (NumericOperator op, int skip) = t switch
        {
            _ when t.StartsWith("<=", StringComparison.Ordinal) => (NumericOperator.LessOrEqual, 2),
            _ when t.StartsWith(">=", StringComparison.Ordinal) => (NumericOperator.GreaterOrEqual, 2),
            _ when t.StartsWith('<') => (NumericOperator.Less, 1),
            _ when t.StartsWith('>') => (NumericOperator.Greater, 1),
            _ when t.StartsWith('!') => (NumericOperator.NotEqual, 1),
            _ when t.StartsWith('=') => (NumericOperator.Equal, 1),
            _ => (NumericOperator.Equal, 0),
        };
        if (skip == 0)
        {
            int between = t.IndexOf("<>", StringComparison.Ordinal);
            int separatorLength = 2;
            if (between < 0)
            {
                between = t.IndexOf('-', 1);
                separatorLength = 1;
            }
            if (between > 0)
            {
                ulong low = ParseNumber(t[..between], offset, max);
                ulong high = ParseNumber(t[(between + separatorLength)..], offset + between + separatorLength, max);
                if (high <= low + 1)
                {
                    throw new RuleSyntaxException(offset, $"expected a range a<>b with a + 1 < b, found '{t}'");
                }
                return new NumericComparison(NumericOperator.Between, low, high);
            }
        }
        ulong value = ParseNumber(t[skip..], offset + skip, max);
        return new NumericComparison(op, value);
    }

    public static ulong ParseNumber(string text, int offset, ulong max)
    {
        string t = text.Trim();
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value > max)
        {
            throw new RuleSyntaxException(offset, $"expected a number 0-{max}, found '{t}'");
        }
        return value;
    }
}
