using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>flow:to_server|to_client|from_client|from_server|established|not_established|stateless[,...];</c></summary>
internal sealed class FlowKeyword : IRuleKeyword
{
    public string Name => "flow";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.FlowSet)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'flow' per rule");
        }
        FlowRequirement requirement = FlowRequirement.None;
        int offset = 0;
        foreach (string part in argument.Text.Split(','))
        {
            string name = part.Trim();
            int at = offset + part.IndexOf(name, StringComparison.Ordinal);
            requirement |= name switch
            {
                "to_server" or "from_client" => FlowRequirement.ToServer,
                "to_client" or "from_server" => FlowRequirement.ToClient,
                "established" => FlowRequirement.Established,
                "not_established" => FlowRequirement.NotEstablished,
                "stateless" => FlowRequirement.None,
                _ => throw argument.Error(
                    $"expected to_server, to_client, from_client, from_server, established, not_established or stateless, found '{name}'", at),
            };
            offset += part.Length + 1;
        }
        if ((requirement & (FlowRequirement.ToServer | FlowRequirement.ToClient)) == (FlowRequirement.ToServer | FlowRequirement.ToClient))
        {
            throw argument.Error("expected one direction, found both to_server and to_client");
        }
        if ((requirement & (FlowRequirement.Established | FlowRequirement.NotEstablished)) == (FlowRequirement.Established | FlowRequirement.NotEstablished))
        {
            throw argument.Error("expected established or not_established, found both");
        }
        rule.FlowSet = true;
        if (requirement != FlowRequirement.None)
        {
            rule.AddCondition(new FlowCondition(requirement));
        }
    }
}
