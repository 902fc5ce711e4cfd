using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>pkt_data;</c> following content/pcre inspect the payload again (ends a sticky buffer).</summary>
internal sealed class PktDataKeyword : IRuleKeyword
{
    public string Name => "pkt_data";

    public KeywordValue Value => KeywordValue.None;

    public void Setup(RuleBuilder rule, in KeywordArgument argument) => rule.CurrentBuffer = InspectionBufferKind.Payload;
}
