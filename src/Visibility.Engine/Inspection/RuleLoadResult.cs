namespace Visibility.Engine.Inspection;

/// <summary>The outcome of loading rule text: the rules that parsed and one error per rule that did not.</summary>
public sealed class RuleLoadResult
{
    public RuleLoadResult(IReadOnlyList<Rule> rules, IReadOnlyList<RuleError> errors)
    {
        Rules = rules;
        Errors = errors;
    }

    public IReadOnlyList<Rule> Rules { get; }

    public IReadOnlyList<RuleError> Errors { get; }

    public bool HasErrors => Errors.Count > 0;
}
