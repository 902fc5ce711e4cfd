namespace Visibility.Engine.Inspection.Conditions;

/// <summary>The bare sticky-buffer form <c>ike.redirect_gateway;</c> with no content after it: the message carries
/// a REDIRECT gateway.</summary>
internal sealed class RedirectPresentCondition : PacketCondition
{
    public static RedirectPresentCondition Instance { get; } = new();

    public override bool IsMatch(in InspectionContext context) => !context.IkeRedirectGateway.IsEmpty;
}
