using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>fast_pattern;</c> the prefilter uses the previous content instead of the longest one.</summary>
internal sealed class FastPatternKeyword : IRuleKeyword
{
    public string Name => "fast_pattern";

    public KeywordValue Value => KeywordValue.None;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        ContentDraft draft = rule.LastContent(argument);
        if (draft.FastPattern)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'fast_pattern' per content");
        }
        draft.FastPattern = true;
    }
}
