using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;
using Visibility.Wire;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>esp.encap:esp|udp|wesp|wesp-udp;</c> how the ESP packet was carried (the EVE <c>esp.encap</c> names).</summary>
internal sealed class EspEncapKeyword : IRuleKeyword
{
    public string Name => "esp.encap";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        EspEncapsulation encapsulation = argument.Text switch
        {
            "esp" => EspEncapsulation.Esp,
            "udp" => EspEncapsulation.Udp,
            "wesp" => EspEncapsulation.Wesp,
            "wesp-udp" => EspEncapsulation.WespUdp,
            _ => throw argument.Error($"expected esp, udp, wesp or wesp-udp, found '{argument.Text}'"),
        };
        rule.AddCondition(new EspEncapsulationCondition(encapsulation));
    }
}
