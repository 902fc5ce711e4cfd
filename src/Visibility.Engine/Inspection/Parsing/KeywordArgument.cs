using System.Text;

namespace Visibility.Engine.Inspection.Parsing;

/// <summary>The value of one rule option as written (<c>keyword:value;</c>), with its position for errors.</summary>
internal readonly struct KeywordArgument
{
    public KeywordArgument(string keyword, string text, int offset, bool hasValue, int keywordOffset)
    {
        Keyword = keyword;
        Text = text;
        Offset = offset;
        HasValue = hasValue;
        KeywordOffset = keywordOffset;
    }

    public string Keyword { get; }

    /// <summary>The value with surrounding blanks removed; empty when the option has none.</summary>
    public string Text { get; }

    /// <summary>Offset of <see cref="Text"/> in the logical rule line.</summary>
    public int Offset { get; }

    public bool HasValue { get; }

    /// <summary>Offset of the keyword itself in the logical rule line.</summary>
    public int KeywordOffset { get; }

    public RuleSyntaxException Error(string message, int at = 0) => new(Offset + at, message);

    /// <summary>The value without its double quotes, with <c>\"</c>, <c>\\</c>, <c>\;</c> and <c>\:</c> unescaped.
    /// Unquoted values are returned as they are.</summary>
    public string Unquoted()
    {
        string t = Text;
        if (t.Length == 0 || t[0] != '"')
        {
            return t;
        }
        if (t.Length < 2 || t[^1] != '"' || IsEscaped(t, t.Length - 1))
        {
            throw Error($"expected a closing '\"' for the value of '{Keyword}'", t.Length);
        }
        var sb = new StringBuilder(t.Length);
        for (int i = 1; i < t.Length - 1; i++)
        {
            char c = t[i];
            if (c == '\\' && i + 1 < t.Length - 1 && t[i + 1] is '"' or '\\' or ';' or ':')
            {
                sb.Append(t[++i]);
                continue;
            }
            if (c == '"')
            {
                throw Error($"expected '\\\"' for a quote inside the value of '{Keyword}'", i);
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    public static bool IsEscaped(string text, int index)
    {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && text[i] == '\\'; i--)
        {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }
}
