using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>dsize:N;</c>, <c>dsize:&lt;N;</c>, <c>dsize:&gt;N;</c>, <c>dsize:a&lt;&gt;b;</c>, <c>dsize:!N;</c>
/// on the payload length.</summary>
internal sealed class DsizeKeyword : IRuleKeyword
{
    public string Name => "dsize";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument) =>
        rule.AddCondition(new DsizeCondition(NumericComparison.Parse(argument.Text, argument.Offset, 65535)));
}
