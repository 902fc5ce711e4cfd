using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Keywords;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection;

/// <summary>Parses rule text in Suricata's shape:
/// <c>action proto src_addr src_port direction dst_addr dst_port (option; option:value; ...)</c>.
/// One bad rule becomes a <see cref="RuleError"/> with file, line and column and is skipped; the rest load.</summary>
/// <remarks>
/// <para>A parser remembers every (gid, sid) it has loaded, so parse all files of one rule set with one parser and
/// a duplicate sid across files is reported too. Variables (<c>$HOME_NET</c>) come from the dictionary given at
/// construction (names without the <c>$</c>; see <see cref="RuleVariables"/>).</para>
/// <para>Not thread-safe. Parsing allocates; it happens at load and reload, never per packet.</para>
/// </remarks>
public sealed class RuleParser
{
    /// <summary>Default bound on one <c>pcre</c> evaluation.</summary>
    public static readonly TimeSpan DefaultPcreMatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyDictionary<string, string> _variables;
    private readonly TimeSpan _pcreMatchTimeout;
    private readonly Dictionary<(uint Gid, uint Sid), Rule> _seen = [];
    private readonly List<Rule> _rules = [];
    private readonly List<RuleError> _errors = [];

    public RuleParser(IReadOnlyDictionary<string, string>? variables = null, TimeSpan? pcreMatchTimeout = null)
    {
        _variables = variables ?? new Dictionary<string, string>();
        _pcreMatchTimeout = pcreMatchTimeout ?? DefaultPcreMatchTimeout;
    }

    /// <summary>Every rule parsed so far, in file order.</summary>
    public IReadOnlyList<Rule> Rules => _rules;

    /// <summary>Every error so far, in file order.</summary>
    public IReadOnlyList<RuleError> Errors => _errors;

    /// <summary>Parses one file's text (the caller reads the file; <paramref name="fileName"/> is used in errors).
    /// Returns what this text contributed.</summary>
    public RuleLoadResult AddText(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var rules = new List<Rule>();
        var errors = new List<RuleError>();
        foreach (LogicalLine line in LogicalLine.Split(text))
        {
            uint? sid = null;
            try
            {
                var builder = new RuleBuilder(_variables, _pcreMatchTimeout);
                ParseInto(builder, line.Text);
                sid = builder.Sid;
                Rule rule = builder.Build(fileName, line);
                if (_seen.TryGetValue((rule.Gid, rule.Sid), out Rule? first))
                {
                    throw new RuleSyntaxException(builder.SidOffset,
                        $"duplicate sid {rule.Sid} (gid {rule.Gid}), first defined at {first.File}:{first.Line}");
                }
                _seen.Add((rule.Gid, rule.Sid), rule);
                rules.Add(rule);
            }
            catch (RuleSyntaxException e)
            {
                (int l, int c) = line.Position(e.Offset);
                errors.Add(new RuleError(fileName, l, c, e.Message, sid));
            }
        }
        _rules.AddRange(rules);
        _errors.AddRange(errors);
        return new RuleLoadResult(rules, errors);
    }

    /// <summary>Everything parsed so far.</summary>
    public RuleLoadResult ToResult() => new([.. _rules], [.. _errors]);

    /// <summary>Parses one text with a fresh parser.</summary>
    public static RuleLoadResult Parse(string text, string fileName = "rules", IReadOnlyDictionary<string, string>? variables = null)
    {
        var parser = new RuleParser(variables);
        return parser.AddText(text, fileName);
    }

    private static void ParseInto(RuleBuilder rule, string text)
    {
        int pos = 0;
        (string action, int actionAt) = NextToken(text, ref pos, "an action (alert, drop, pass)");
        rule.Action = action switch
        {
            "alert" => RuleAction.Alert,
            "drop" => RuleAction.Drop,
            "pass" => RuleAction.Pass,
            _ => throw new RuleSyntaxException(actionAt, $"expected an action (alert, drop, pass), found '{action}'"),
        };
        (string proto, int protoAt) = NextToken(text, ref pos, "a protocol (ip, tcp, udp, icmp, esp, ike)");
        rule.Protocol = proto switch
        {
            "ip" => RuleProtocol.Ip,
            "tcp" => RuleProtocol.Tcp,
            "udp" => RuleProtocol.Udp,
            "icmp" => RuleProtocol.Icmp,
            "esp" => RuleProtocol.Esp,
            "ike" => RuleProtocol.Ike,
            _ => throw new RuleSyntaxException(protoAt, $"expected a protocol (ip, tcp, udp, icmp, esp, ike), found '{proto}'"),
        };
        rule.Source = ParseAddresses(rule, text, ref pos, "a source address");
        rule.SourcePorts = ParsePorts(rule, text, ref pos, "a source port");
        (string direction, int directionAt) = NextToken(text, ref pos, "a direction (-> or <>)");
        rule.Bidirectional = direction switch
        {
            "->" => false,
            "<>" => true,
            _ => throw new RuleSyntaxException(directionAt, $"expected a direction (-> or <>), found '{direction}'"),
        };
        rule.Destination = ParseAddresses(rule, text, ref pos, "a destination address");
        rule.DestinationPorts = ParsePorts(rule, text, ref pos, "a destination port");
        SkipSpace(text, ref pos);
        if (pos >= text.Length || text[pos] != '(')
        {
            throw new RuleSyntaxException(pos, $"expected '(' to open the rule options, found {Describe(text, pos)}");
        }
        rule.OptionsOffset = pos;
        pos++;
        ParseOptions(rule, text, ref pos);
        SkipSpace(text, ref pos);
        if (pos < text.Length)
        {
            throw new RuleSyntaxException(pos, $"expected end of rule after ')', found '{text[pos]}'");
        }
    }

    private static AddressSet ParseAddresses(RuleBuilder rule, string text, ref int pos, string what)
    {
        (string token, int at) = NextToken(text, ref pos, what);
        return SpecParser<AddressSet>.Parse(token, at, rule.Variables, allowEmpty: false, what[2..]);
    }

    private static PortSet ParsePorts(RuleBuilder rule, string text, ref int pos, string what)
    {
        (string token, int at) = NextToken(text, ref pos, what);
        PortSet ports = SpecParser<PortSet>.Parse(token, at, rule.Variables, allowEmpty: false, what[2..]);
        if (!ports.IsAny && rule.Protocol == RuleProtocol.Icmp)
        {
            throw new RuleSyntaxException(at, $"expected 'any' as {what} of an icmp rule, found '{token}'");
        }
        return ports;
    }

    private static void ParseOptions(RuleBuilder rule, string text, ref int pos)
    {
        while (true)
        {
            SkipSpace(text, ref pos);
            if (pos >= text.Length)
            {
                throw new RuleSyntaxException(pos, "expected ')' to close the rule options, found end of rule");
            }
            if (text[pos] == ')')
            {
                pos++;
                return;
            }
            int nameAt = pos;
            while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '_' or '.' or '-'))
            {
                pos++;
            }
            string name = text[nameAt..pos];
            if (name.Length == 0)
            {
                throw new RuleSyntaxException(pos, $"expected a keyword, found '{text[pos]}'");
            }
            SkipSpace(text, ref pos);
            KeywordArgument argument;
            bool closesOptions = false;
            if (pos < text.Length && text[pos] == ';')
            {
                argument = new KeywordArgument(name, string.Empty, pos, hasValue: false, nameAt);
                pos++;
            }
            else if (pos < text.Length && text[pos] == ':')
            {
                pos++;
                int valueStart = pos;
                int end = FindValueEnd(text, valueStart, out closesOptions, out int openQuote);
                if (end < 0 && openQuote >= 0)
                {
                    throw new RuleSyntaxException(openQuote, $"expected a closing '\"' in the value of '{name}'");
                }
                if (end < 0)
                {
                    throw new RuleSyntaxException(text.Length, $"expected ';' after the value of '{name}'");
                }
                int s = valueStart, e = end;
                while (s < e && char.IsWhiteSpace(text[s]))
                {
                    s++;
                }
                while (e > s && char.IsWhiteSpace(text[e - 1]))
                {
                    e--;
                }
                argument = new KeywordArgument(name, text[s..e], s, hasValue: true, nameAt);
                pos = end + 1;
            }
            else
            {
                throw new RuleSyntaxException(pos, $"expected ':' or ';' after '{name}', found {Describe(text, pos)}");
            }

            if (!KeywordRegistry.TryGet(name, out IRuleKeyword keyword))
            {
                throw new RuleSyntaxException(nameAt, $"expected a supported keyword, found unknown keyword '{name}'");
            }
            if (keyword.Value == KeywordValue.Required && (!argument.HasValue || argument.Text.Length == 0))
            {
                throw new RuleSyntaxException(argument.HasValue ? argument.Offset : nameAt, $"expected a value for '{name}' ({name}:...;)");
            }
            if (keyword.Value == KeywordValue.None && argument.HasValue)
            {
                throw new RuleSyntaxException(argument.Offset, $"expected ';' after '{name}', which takes no value");
            }
            keyword.Setup(rule, argument);
            if (closesOptions)
            {
                return;
            }
        }
    }

    /// <summary>Index of the ';' that ends an option value: outside double quotes and not escaped by '\'. A last
    /// option written without ';' ends at the rule's closing ')'; <paramref name="closesOptions"/> says so.</summary>
    private static int FindValueEnd(string text, int start, out bool closesOptions, out int openQuote)
    {
        closesOptions = false;
        openQuote = -1;
        bool quoted = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                i++;
                continue;
            }
            if (c == '"')
            {
                quoted = !quoted;
                openQuote = quoted ? i : -1;
            }
            else if (c == ';' && !quoted)
            {
                return i;
            }
        }
        if (quoted)
        {
            return -1;
        }
        int close = text.LastIndexOf(')');
        if (close >= start && text.AsSpan(close + 1).IsWhiteSpace())
        {
            closesOptions = true;
            return close;
        }
        return -1;
    }

    /// <summary>Reads one header field: a run of non-blank characters, where blanks inside [...] do not end it.</summary>
    private static (string Token, int At) NextToken(string text, ref int pos, string expected)
    {
        SkipSpace(text, ref pos);
        if (pos >= text.Length || text[pos] == '(')
        {
            throw new RuleSyntaxException(pos, $"expected {expected}, found {Describe(text, pos)}");
        }
        int start = pos;
        int depth = 0;
        while (pos < text.Length)
        {
            char c = text[pos];
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (depth <= 0 && (char.IsWhiteSpace(c) || c == '('))
            {
                break;
            }
            pos++;
        }
        return (text[start..pos], start);
    }

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }
    }

    private static string Describe(string text, int pos) => pos < text.Length ? $"'{text[pos]}'" : "end of rule";
}
