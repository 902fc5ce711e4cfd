using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>esp.verdict:null|encrypted|unknown;</c> the sensor's verdict on the SA.</summary>
internal sealed class EspVerdictKeyword : IRuleKeyword
{
    public string Name => "esp.verdict";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        EspVerdictKind verdict = argument.Text switch
        {
            "null" => EspVerdictKind.Null,
            "encrypted" => EspVerdictKind.Encrypted,
            "unknown" => EspVerdictKind.Unknown,
            _ => throw argument.Error($"expected null, encrypted or unknown, found '{argument.Text}'"),
        };
        rule.AddCondition(new EspVerdictCondition(verdict));
    }
}
