using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>ike.notify:REDIRECT;</c> or <c>ike.notify:16407;</c>: the message carries this Notify Message Type.</summary>
internal sealed class IkeNotifyKeyword : IRuleKeyword
{
    public string Name => "ike.notify";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (!IkeNames.TryParseNotify(argument.Text, out ushort value))
        {
            throw argument.Error($"expected a notify name (REDIRECT, INVALID_IKE_SPI, ...) or 0-65535, found '{argument.Text}'");
        }
        rule.AddCondition(new IkeNotifyCondition(value));
    }
}
