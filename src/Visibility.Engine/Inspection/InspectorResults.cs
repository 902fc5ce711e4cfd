namespace Visibility.Engine.Inspection;

/// <summary>Where an <see cref="IInspector"/> raises its signatures for the packet being inspected.</summary>
public ref struct InspectorResults
{
    private readonly RuleEvaluator _evaluator;
    private readonly int _inspector;

    internal InspectorResults(RuleEvaluator evaluator, int inspector)
    {
        _evaluator = evaluator;
        _inspector = inspector;
    }

    /// <summary>Reports that <paramref name="rule"/> (one of the inspector's declared <see cref="IInspector.Rules"/>)
    /// matches this packet. Raising it twice for one packet reports it once.</summary>
    /// <exception cref="ArgumentException">The rule was not declared by this inspector.</exception>
    public readonly void Raise(Rule rule) => _evaluator.RaiseFromInspector(_inspector, rule);
}
