using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>gid:N;</c> the generator id (default 1).</summary>
internal sealed class GidKeyword : IRuleKeyword
{
    public string Name => "gid";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.GidSet)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'gid' per rule");
        }
        rule.Gid = (uint)KeywordNumbers.Parse(argument, 0, uint.MaxValue);
        rule.GidSet = true;
    }
}
