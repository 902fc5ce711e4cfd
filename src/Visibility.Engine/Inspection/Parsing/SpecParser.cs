namespace Visibility.Engine.Inspection.Parsing;

/// <summary>Parses Suricata's address and port grammar: <c>any</c>, a leaf, <c>$VARIABLE</c>, <c>!x</c> and nested
/// lists <c>[a, !b, [c, d]]</c>. In a list the plain elements are united and the negated ones subtracted; a list of
/// negated elements only starts from <c>any</c>. Variables expand recursively, with cycles reported.</summary>
internal sealed class SpecParser<TSet>
    where TSet : class, ISpecSet<TSet>
{
    private const int MaxVariableDepth = 16;

    private readonly string _text;
    private readonly int _baseOffset;
    private readonly IReadOnlyDictionary<string, string> _variables;
    private readonly HashSet<string> _expanding;
    private int _pos;

    private SpecParser(string text, int baseOffset, IReadOnlyDictionary<string, string> variables, HashSet<string> expanding)
    {
        _text = text;
        _baseOffset = baseOffset;
        _variables = variables;
        _expanding = expanding;
    }

    /// <summary>Parses a whole specification. <paramref name="allowEmpty"/> permits one that matches nothing
    /// (a rule header never does: Suricata rejects <c>!any</c>).</summary>
    public static TSet Parse(string text, int baseOffset, IReadOnlyDictionary<string, string> variables, bool allowEmpty, string what)
    {
        var parser = new SpecParser<TSet>(text, baseOffset, variables, new HashSet<string>(StringComparer.Ordinal));
        TSet result = parser.ParseTop();
        if (result.IsEmptySet && !allowEmpty)
        {
            throw new RuleSyntaxException(baseOffset, $"{what} '{text}' matches nothing");
        }
        return result;
    }

    private TSet ParseTop()
    {
        (TSet set, bool negated) = ParseElement();
        SkipSpace();
        if (_pos < _text.Length)
        {
            throw Error(_pos, $"expected end of {TSet.LeafDescription} list, found '{_text[_pos]}'");
        }
        return negated ? set.Inverted() : set;
    }

    private (TSet Set, bool Negated) ParseElement()
    {
        SkipSpace();
        bool negated = false;
        while (_pos < _text.Length && _text[_pos] == '!')
        {
            negated = !negated;
            _pos++;
            SkipSpace();
        }
        if (_pos >= _text.Length)
        {
            throw Error(_pos, $"expected {TSet.LeafDescription}, 'any', '[' or $VARIABLE");
        }
        char c = _text[_pos];
        if (c == '[')
        {
            return (ParseList(), negated);
        }
        if (c == '$')
        {
            (TSet set, bool innerNegated) = ParseVariable();
            return (set, negated ^ innerNegated);
        }
        int start = _pos;
        while (_pos < _text.Length && !IsDelimiter(_text[_pos]))
        {
            _pos++;
        }
        string leaf = _text[start.._pos];
        if (leaf.Length == 0)
        {
            throw Error(start, $"expected {TSet.LeafDescription}, 'any', '[' or $VARIABLE, found '{c}'");
        }
        if (leaf.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            return (TSet.AnySet, negated);
        }
        return (TSet.ParseLeaf(leaf, _baseOffset + start), negated);
    }

    private TSet ParseList()
    {
        int open = _pos;
        _pos++;
        TSet? positive = null;
        TSet negative = TSet.EmptySet;
        while (true)
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw Error(open, "expected ']' to close this list");
            }
            if (_text[_pos] == ']')
            {
                if (positive is null && negative.IsEmptySet)
                {
                    throw Error(_pos, $"expected {TSet.LeafDescription} in the list, found ']'");
                }
                throw Error(_pos, $"expected {TSet.LeafDescription} after ',', found ']'");
            }
            (TSet set, bool negated) = ParseElement();
            if (negated)
            {
                negative = negative.UnionWith(set);
            }
            else
            {
                positive = positive is null ? set : positive.UnionWith(set);
            }
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw Error(open, "expected ']' to close this list");
            }
            if (_text[_pos] == ',')
            {
                _pos++;
                continue;
            }
            if (_text[_pos] == ']')
            {
                _pos++;
                return (positive ?? TSet.AnySet).Without(negative);
            }
            throw Error(_pos, $"expected ',' or ']' in the list, found '{_text[_pos]}'");
        }
    }

    private (TSet Set, bool Negated) ParseVariable()
    {
        int start = _pos;
        _pos++;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }
        string name = _text[(start + 1).._pos];
        if (name.Length == 0)
        {
            throw Error(start, "expected a variable name after '$'");
        }
        if (!_variables.TryGetValue(name, out string? value))
        {
            throw Error(start, $"unknown variable ${name}");
        }
        if (_expanding.Contains(name) || _expanding.Count >= MaxVariableDepth)
        {
            throw Error(start, $"variable ${name} refers to itself");
        }
        _expanding.Add(name);
        try
        {
            var inner = new SpecParser<TSet>(value, 0, _variables, _expanding);
            (TSet set, bool negated) = inner.ParseElement();
            inner.SkipSpace();
            if (inner._pos < value.Length)
            {
                throw new RuleSyntaxException(inner._pos, $"unexpected '{value[inner._pos]}'");
            }
            return (set, negated);
        }
        catch (RuleSyntaxException e)
        {
            throw Error(start, $"variable ${name} = \"{value}\": {e.Message}");
        }
        finally
        {
            _expanding.Remove(name);
        }
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private static bool IsDelimiter(char c) => c is ',' or ']' or '[' || char.IsWhiteSpace(c);

    private RuleSyntaxException Error(int position, string message) => new(_baseOffset + position, message);
}
