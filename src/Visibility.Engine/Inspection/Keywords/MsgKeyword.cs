using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>msg:"text";</c> the alert text (EVE <c>alert.signature</c>).</summary>
internal sealed class MsgKeyword : IRuleKeyword
{
    public string Name => "msg";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.Message is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'msg' per rule");
        }
        rule.Message = argument.Unquoted();
    }
}
