using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>rev:N;</c> the revision of the signature.</summary>
internal sealed class RevKeyword : IRuleKeyword
{
    public string Name => "rev";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.Rev is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'rev' per rule");
        }
        rule.Rev = (int)KeywordNumbers.Parse(argument, 0, int.MaxValue);
    }
}
