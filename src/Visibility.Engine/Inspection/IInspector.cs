namespace Visibility.Engine.Inspection;

/// <summary>A detection written in C#: it sees each inspected packet of its protocol with the same context rules
/// see, and raises the signatures it declared. Its matches go through the same ordering, pass suppression and
/// thresholds as rule-file matches.</summary>
/// <remarks>
/// <para>Declare every signature up front in <see cref="Rules"/> with <see cref="Rule.ForInspector"/>; their sids
/// share the rule sid space. <see cref="Inspect"/> runs on the hot path: it must not allocate, block or keep the
/// context's spans. One instance may be called from several workers at once, so keep per-packet state on the stack
/// and shared state thread-safe. An exception from <see cref="Inspect"/> is counted
/// (<see cref="RuleEvaluator.InspectorFailures"/>) and the packet continues without that inspector's matches.</para>
/// </remarks>
public interface IInspector
{
    /// <summary>A short name for diagnostics.</summary>
    string Name { get; }

    /// <summary>Which packets it sees, with the rule-header meaning (<c>ip</c> sees all).</summary>
    RuleProtocol Protocol { get; }

    /// <summary>The signatures it may raise.</summary>
    IReadOnlyList<Rule> Rules { get; }

    /// <summary>Looks at one packet and calls <see cref="InspectorResults.Raise"/> for each signature that matches.</summary>
    void Inspect(in InspectionContext context, ref InspectorResults results);
}
