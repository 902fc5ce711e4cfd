using System.Collections.Frozen;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;
using Visibility.Wire;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>decode-event:layer.reason;</c> (names from <see cref="DecodeAnomalyNames.EventName"/>): the packet
/// raised that decode anomaly.</summary>
internal sealed class DecodeEventKeyword : IRuleKeyword
{
    private static readonly FrozenDictionary<string, DecodeAnomaly> s_byName = BuildNames();

    public string Name => "decode-event";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (!s_byName.TryGetValue(argument.Text, out DecodeAnomaly anomaly))
        {
            throw argument.Error($"expected a decode event name such as ipv4.trunc_pkt or esp.pkt_too_small, found '{argument.Text}'");
        }
        rule.AddCondition(new DecodeEventCondition(anomaly));
    }

    private static FrozenDictionary<string, DecodeAnomaly> BuildNames()
    {
        var names = new Dictionary<string, DecodeAnomaly>(StringComparer.Ordinal);
        foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
        {
            names[DecodeAnomalyNames.EventName(anomaly)] = anomaly;
        }
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
