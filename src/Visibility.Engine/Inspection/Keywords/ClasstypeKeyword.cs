using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>classtype:name;</c> a name from <see cref="ClassificationTable"/>; sets the EVE category and the
/// default priority.</summary>
internal sealed class ClasstypeKeyword : IRuleKeyword
{
    public string Name => "classtype";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.Classtype is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'classtype' per rule");
        }
        string name = argument.Unquoted();
        if (!ClassificationTable.TryGet(name, out _, out _))
        {
            throw argument.Error($"expected a known classtype (policy-violation, bad-unknown, protocol-command-decode, ...), found '{name}'");
        }
        rule.Classtype = name;
    }
}
