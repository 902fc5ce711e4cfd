using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>ike.redirect_gateway;</c> makes the REDIRECT gateway text the buffer for the following
/// content/pcre (a sticky buffer); <c>ike.redirect_gateway:ADDRESS-SPEC;</c> (addresses, CIDRs, lists, <c>!</c>,
/// <c>$VARIABLES</c>) matches a gateway given as an IP address inside the specification.</summary>
internal sealed class IkeRedirectGatewayKeyword : IRuleKeyword
{
    public string Name => "ike.redirect_gateway";

    public KeywordValue Value => KeywordValue.Optional;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (!argument.HasValue)
        {
            rule.CurrentBuffer = InspectionBufferKind.IkeRedirectGateway;
            rule.RedirectGatewayBufferUsed = true;
            return;
        }
        AddressSet addresses = SpecParser<AddressSet>.Parse(argument.Text, argument.Offset, rule.Variables, allowEmpty: true, "address");
        rule.AddCondition(new IkeRedirectGatewayCondition(addresses));
    }
}
