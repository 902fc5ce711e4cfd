using System.Text;

namespace Visibility.Engine.Inspection.Parsing;

/// <summary>Parses a <c>content</c> value: an optional <c>!</c>, then a quoted string with <c>|hex|</c> sections
/// (<c>"USER |20|"</c>) and the escapes <c>\"</c>, <c>\\</c>, <c>\;</c>, <c>\:</c>, <c>\|</c>. Characters beyond
/// ASCII are taken as their UTF-8 bytes, as the rule file holds them.</summary>
internal static class ContentParser
{
    public static byte[] Parse(in KeywordArgument argument, out bool negated)
    {
        string t = argument.Text;
        int i = 0;
        negated = false;
        if (i < t.Length && t[i] == '!')
        {
            negated = true;
            i++;
            while (i < t.Length && char.IsWhiteSpace(t[i]))
            {
                i++;
            }
        }
        if (i >= t.Length || t[i] != '"')
        {
            throw argument.Error($"expected a quoted string ({argument.Keyword}:\"...\")", i);
        }
        int open = i;
        i++;
        var bytes = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        bool closed = false;
        while (i < t.Length)
        {
            char c = t[i];
            if (c == '"')
            {
                closed = true;
                i++;
                break;
            }
            if (c == '\\')
            {
                if (i + 1 >= t.Length || t[i + 1] is not ('"' or '\\' or ';' or ':' or '|'))
                {
                    string found = i + 1 < t.Length ? t[i + 1].ToString() : "end";
                    throw argument.Error($"expected one of \\\" \\\\ \\; \\: \\| (use |hex| for other bytes), found '\\{found}'", i);
                }
                bytes.Add((byte)t[i + 1]);
                i += 2;
                continue;
            }
            if (c == '|')
            {
                i = ParseHex(argument, t, i, bytes);
                continue;
            }
            if (c < 0x80)
            {
                bytes.Add((byte)c);
                i++;
                continue;
            }
            int length = char.IsHighSurrogate(c) && i + 1 < t.Length ? 2 : 1;
            int written = Encoding.UTF8.GetBytes(t.AsSpan(i, length), utf8);
            for (int k = 0; k < written; k++)
            {
                bytes.Add(utf8[k]);
            }
            i += length;
        }
        if (!closed)
        {
            throw argument.Error("expected a closing '\"'", open);
        }
        if (i != t.Length)
        {
            throw argument.Error($"expected ';' after the closing quote, found '{t[i]}'", i);
        }
        if (bytes.Count == 0)
        {
            throw argument.Error($"expected at least one byte in {argument.Keyword}", open);
        }
        return [.. bytes];
    }

    private static int ParseHex(in KeywordArgument argument, string t, int open, List<byte> bytes)
    {
        int i = open + 1;
        int high = -1;
        int digits = 0;
        while (i < t.Length && t[i] != '|')
        {
            char c = t[i];
            if (c == '"')
            {
                throw argument.Error("expected '|' to close the hex section", open);
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            int v = HexValue(c);
            if (v < 0)
            {
                throw argument.Error($"expected a hex digit or '|' in the hex section, found '{c}'", i);
            }
            digits++;
            if (high < 0)
            {
                high = v;
            }
            else
            {
                bytes.Add((byte)(high << 4 | v));
                high = -1;
            }
            i++;
        }
        if (i >= t.Length)
        {
            throw argument.Error("expected '|' to close the hex section", open);
        }
        if (high >= 0)
        {
            throw argument.Error("expected an even number of hex digits in the hex section", open);
        }
        if (digits == 0)
        {
            throw argument.Error("expected hex bytes between '|' and '|'", open);
        }
        return i + 1;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
