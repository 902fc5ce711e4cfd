using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>metadata:key value, ...;</c> accepted and ignored.</summary>
internal sealed class MetadataKeyword : IRuleKeyword
{
    public string Name => "metadata";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
    }
}
