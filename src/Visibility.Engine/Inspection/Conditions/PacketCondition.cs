namespace Visibility.Engine.Inspection.Conditions;

/// <summary>A non-buffer option compiled to a typed test on the context (dsize, flow, esp.*, ike.*, decode-event).</summary>
internal abstract class PacketCondition
{
    public abstract bool IsMatch(in InspectionContext context);
}
