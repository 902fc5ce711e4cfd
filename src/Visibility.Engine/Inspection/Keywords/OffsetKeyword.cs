using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>offset:N;</c> the previous content starts at or after byte N of the buffer.</summary>
internal sealed class OffsetKeyword : IRuleKeyword
{
    public string Name => "offset";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        ContentDraft draft = rule.LastContentForAbsolute(argument);
        if (draft.Offset is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'offset' per content");
        }
        draft.Offset = (int)KeywordNumbers.Parse(argument, 0, 65535);
    }
}
