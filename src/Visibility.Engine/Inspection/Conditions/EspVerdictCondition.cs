namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>esp.verdict</c>: null, encrypted or unknown.</summary>
internal sealed class EspVerdictCondition(EspVerdictKind verdict) : PacketCondition
{
    public EspVerdictKind Verdict { get; } = verdict;

    public override bool IsMatch(in InspectionContext context) => context.HasEsp && context.EspVerdict == Verdict;
}
