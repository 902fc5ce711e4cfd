namespace Visibility.Engine.Inspection.Conditions;

/// <summary>The value form of <c>ike.redirect_gateway</c>: a REDIRECT whose gateway is an IP address inside the
/// address specification. A gateway named by FQDN never matches this form (use the sticky buffer).</summary>
internal sealed class IkeRedirectGatewayCondition(AddressSet addresses) : PacketCondition
{
    public AddressSet Addresses { get; } = addresses;

    public override bool IsMatch(in InspectionContext context) =>
        !context.IkeRedirectGatewayAddress.IsNone && Addresses.Contains(AddressKey.From(context.IkeRedirectGatewayAddress));
}
