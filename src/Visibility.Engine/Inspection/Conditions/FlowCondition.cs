namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>flow</c>: direction relative to the flow and whether it is established (both supplied by the pipeline).</summary>
internal sealed class FlowCondition(FlowRequirement requirement) : PacketCondition
{
    public FlowRequirement Requirement { get; } = requirement;

    public override bool IsMatch(in InspectionContext context)
    {
        FlowRequirement r = Requirement;
        if ((r & FlowRequirement.ToServer) != 0 && context.Direction != PacketDirection.ToServer)
        {
            return false;
        }
        if ((r & FlowRequirement.ToClient) != 0 && context.Direction != PacketDirection.ToClient)
        {
            return false;
        }
        if ((r & FlowRequirement.Established) != 0 && !context.FlowEstablished)
        {
            return false;
        }
        return (r & FlowRequirement.NotEstablished) == 0 || !context.FlowEstablished;
    }
}
