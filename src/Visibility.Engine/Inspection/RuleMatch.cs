namespace Visibility.Engine.Inspection;

/// <summary>One signature that matched one packet, as handed to an <see cref="IRuleMatchCollector"/>.</summary>
public readonly struct RuleMatch
{
    public RuleMatch(Rule rule) => Rule = rule;

    /// <summary>The matching rule: msg, classtype, priority and where it came from.</summary>
    public Rule Rule { get; }

    public uint Gid => Rule.Gid;

    public uint Sid => Rule.Sid;

    public int Rev => Rule.Rev;

    public RuleAction Action => Rule.Action;
}
