namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>ike.exchange</c>: the exchange type of an IKE message.</summary>
internal sealed class IkeExchangeCondition(byte exchangeType) : PacketCondition
{
    public byte ExchangeType { get; } = exchangeType;

    public override bool IsMatch(in InspectionContext context) =>
        context.Protocol == InspectionProtocol.Ike && context.IkeExchangeType == ExchangeType;
}
