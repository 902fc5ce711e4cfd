namespace Visibility.Engine.Inspection;

/// <summary>The action of a rule. For one packet a matching <see cref="Pass"/> rule suppresses every
/// <see cref="Drop"/> and <see cref="Alert"/> match (Suricata's default action order: pass, drop, alert).</summary>
public enum RuleAction : byte
{
    Alert = 0,
    Drop = 1,
    Pass = 2,
}
