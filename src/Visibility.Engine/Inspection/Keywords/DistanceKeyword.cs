using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>distance:N;</c> the previous content starts N bytes (N may be negative) after the end of the match
/// before it.</summary>
internal sealed class DistanceKeyword : IRuleKeyword
{
    public string Name => "distance";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        ContentDraft draft = rule.LastContentForRelative(argument);
        if (draft.Distance is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'distance' per content");
        }
        draft.Distance = (int)KeywordNumbers.Parse(argument, -65535, 65535);
    }
}
