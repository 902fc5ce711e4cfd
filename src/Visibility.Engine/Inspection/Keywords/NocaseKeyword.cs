using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>nocase;</c> the previous content ignores ASCII case.</summary>
internal sealed class NocaseKeyword : IRuleKeyword
{
    public string Name => "nocase";

    public KeywordValue Value => KeywordValue.None;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        ContentDraft draft = rule.LastContent(argument);
        if (draft.NoCase)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'nocase' per content");
        }
        draft.NoCase = true;
    }
}
