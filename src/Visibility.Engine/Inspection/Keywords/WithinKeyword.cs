using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>within:N;</c> the previous content lies within N bytes after the end of the match before it
/// (shifted by its distance).</summary>
internal sealed class WithinKeyword : IRuleKeyword
{
    public string Name => "within";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        ContentDraft draft = rule.LastContentForRelative(argument);
        if (draft.Within is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'within' per content");
        }
        int within = (int)KeywordNumbers.Parse(argument, 1, 65535);
        if (within < draft.Pattern.Length)
        {
            throw argument.Error($"expected within of at least the content length ({draft.Pattern.Length}), found {within}");
        }
        draft.Within = within;
    }
}
