using System.Globalization;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary>Integer option values with range checks and "expected" messages.</summary>
internal static class KeywordNumbers
{
    public static long Parse(in KeywordArgument argument, long min, long max)
    {
        string t = argument.Text;
        if (!long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            throw argument.Error($"expected an integer {min}-{max} for '{argument.Keyword}', found '{t}'");
        }
        return value;
    }
}
