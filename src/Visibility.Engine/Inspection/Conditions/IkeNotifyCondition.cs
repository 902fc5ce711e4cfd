namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>ike.notify</c>: a Notify Message Type present in the IKE message.</summary>
internal sealed class IkeNotifyCondition(ushort notifyType) : PacketCondition
{
    public ushort NotifyType { get; } = notifyType;

    public override bool IsMatch(in InspectionContext context) => context.IkeNotifyTypes.Contains(NotifyType);
}
