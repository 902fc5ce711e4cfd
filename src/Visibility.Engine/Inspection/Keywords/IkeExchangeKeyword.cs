using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>ike.exchange:IKE_SA_INIT;</c> or <c>ike.exchange:34;</c>: the IKE exchange type (IANA name or number).</summary>
internal sealed class IkeExchangeKeyword : IRuleKeyword
{
    public string Name => "ike.exchange";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (!IkeNames.TryParseExchange(argument.Text, out byte value))
        {
            throw argument.Error($"expected an exchange name (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL, ...) or 0-255, found '{argument.Text}'");
        }
        rule.AddCondition(new IkeExchangeCondition(value));
    }
}
