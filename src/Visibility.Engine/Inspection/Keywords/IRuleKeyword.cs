using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary>One rule option. <see cref="Setup"/> parses the option's value once, at load, into typed state on the
/// rule being built (Suricata's <c>Setup</c>); matching never looks at the text again.</summary>
internal interface IRuleKeyword
{
    /// <summary>The keyword as written in rules, e.g. <c>content</c> or <c>esp.spi</c>.</summary>
    string Name { get; }

    KeywordValue Value { get; }

    /// <summary>Applies the option to <paramref name="rule"/>; throws <see cref="RuleSyntaxException"/> on a bad value.</summary>
    void Setup(RuleBuilder rule, in KeywordArgument argument);
}
