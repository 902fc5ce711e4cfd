using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>content:"bytes";</c> or <c>content:!"bytes";</c> on the current buffer; modifiers follow it.</summary>
internal sealed class ContentKeyword : IRuleKeyword
{
    public string Name => "content";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        byte[] pattern = ContentParser.Parse(argument, out bool negated);
        rule.AddItem(new ContentDraft
        {
            Buffer = rule.CurrentBuffer,
            Position = argument.KeywordOffset,
            Pattern = pattern,
            Negated = negated,
        });
    }
}
