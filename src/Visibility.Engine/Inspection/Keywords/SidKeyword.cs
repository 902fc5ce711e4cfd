using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>sid:N;</c> the signature id, 1-4294967295 (unique per gid).</summary>
internal sealed class SidKeyword : IRuleKeyword
{
    public string Name => "sid";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.Sid is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'sid' per rule");
        }
        rule.Sid = (uint)KeywordNumbers.Parse(argument, 1, uint.MaxValue);
        rule.SidOffset = argument.Offset;
    }
}
