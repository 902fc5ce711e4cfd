using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>depth:N;</c> the previous content lies within N bytes counted from its offset.</summary>
internal sealed class DepthKeyword : IRuleKeyword
{
    public string Name => "depth";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        ContentDraft draft = rule.LastContentForAbsolute(argument);
        if (draft.Depth is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'depth' per content");
        }
        int depth = (int)KeywordNumbers.Parse(argument, 1, 65535);
        if (depth < draft.Pattern.Length)
        {
            throw argument.Error($"expected depth of at least the content length ({draft.Pattern.Length}), found {depth}");
        }
        draft.Depth = depth;
    }
}
