using System.Text.RegularExpressions;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>pcre:"/regex/flags";</c> (or <c>pcre:!"/regex/flags";</c>) over the Latin-1 view of the current buffer.
/// Flags: <c>i</c> ignore case, <c>s</c> dot matches newline, <c>m</c> multi-line anchors, <c>x</c> extended,
/// <c>R</c> relative to the previous match end. The expression is .NET regular-expression syntax, which agrees with
/// PCRE for the constructs rules use; every match runs under the configured timeout.</summary>
internal sealed class PcreKeyword : IRuleKeyword
{
    public string Name => "pcre";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        string t = argument.Text;
        int i = 0;
        bool negated = false;
        if (t.StartsWith('!'))
        {
            negated = true;
            i = 1;
            while (i < t.Length && char.IsWhiteSpace(t[i]))
            {
                i++;
            }
        }
        if (i >= t.Length || t[i] != '"' || t.Length - i < 2 || t[^1] != '"')
        {
            throw argument.Error("expected a quoted expression (pcre:\"/regex/flags\")", i);
        }
        int quote = i;
        string body = t[(i + 1)..^1];
        int bodyOffset = quote + 1;
        if (body.Length == 0 || body[0] != '/')
        {
            throw argument.Error("expected '/' to open the expression", bodyOffset);
        }
        int close = body.LastIndexOf('/');
        if (close == 0)
        {
            throw argument.Error("expected a closing '/' before the flags", bodyOffset);
        }
        string pattern = body[1..close];
        RegexOptions options = RegexOptions.CultureInvariant | RegexOptions.Compiled;
        bool relative = false;
        for (int k = close + 1; k < body.Length; k++)
        {
            switch (body[k])
            {
                case 'i': options |= RegexOptions.IgnoreCase; break;
                case 's': options |= RegexOptions.Singleline; break;
                case 'm': options |= RegexOptions.Multiline; break;
                case 'x': options |= RegexOptions.IgnorePatternWhitespace; break;
                case 'R': relative = true; break;
                default:
                    throw argument.Error($"expected a pcre flag (i, s, m, x, R), found '{body[k]}'", bodyOffset + k);
            }
        }
        Regex regex;
        try
        {
            regex = new Regex(pattern, options, rule.PcreMatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw argument.Error($"expected a valid regular expression: {e.Message}", bodyOffset + 1);
        }
        rule.AddItem(new ContentDraft
        {
            Buffer = rule.CurrentBuffer,
            Position = argument.KeywordOffset,
            Negated = negated,
            Pcre = new PcreItem(regex, relative, pattern) { Negated = negated },
        });
    }
}
