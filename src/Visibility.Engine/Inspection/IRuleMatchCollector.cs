namespace Visibility.Engine.Inspection;

/// <summary>Receives the matches of one packet from <see cref="RuleEvaluator.Evaluate"/>. Implement it on a struct
/// (or a ref struct) and pass it by reference: the JIT specialises the call and nothing is allocated.</summary>
public interface IRuleMatchCollector
{
    /// <summary>Called once per matching signature, in evaluation order (pass rules first, then by priority and sid).
    /// When a pass rule matched, only pass rules are reported.</summary>
    void OnMatch(in RuleMatch match);
}
