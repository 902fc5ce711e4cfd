using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>reference:type,id;</c> accepted and ignored.</summary>
internal sealed class ReferenceKeyword : IRuleKeyword
{
    public string Name => "reference";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
    }
}
