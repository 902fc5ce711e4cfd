using Visibility.Engine.Flows;
using Visibility.Engine.Inspection;

namespace Visibility.Engine.Pipeline;

/// <summary>Hands each rule match of the packet being inspected back to the pipeline with the packet's bytes (a ref
/// struct, so the evaluator's generic call is specialised and nothing is allocated).</summary>
internal readonly ref struct AlertCollector : IRuleMatchCollector
{
    private readonly PacketPipeline _pipeline;
    private readonly ReadOnlySpan<byte> _frame;
    private readonly long _timestamp;
    private readonly long _frameNumber;
    private readonly FlowState? _flow;

    public AlertCollector(PacketPipeline pipeline, ReadOnlySpan<byte> frame, long timestamp, long frameNumber, FlowState? flow)
    {
        _pipeline = pipeline;
        _frame = frame;
        _timestamp = timestamp;
        _frameNumber = frameNumber;
        _flow = flow;
    }

    public void OnMatch(in RuleMatch match) => _pipeline.RaiseAlert(in match, _frame, _timestamp, _frameNumber, _flow);
}
