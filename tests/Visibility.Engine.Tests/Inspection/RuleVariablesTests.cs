using Visibility.Engine.Inspection;

namespace Visibility.Engine.Tests.Inspection;

public sealed class RuleVariablesTests
{
    [Fact]
    public void Parse_Lines_CommentsQuotesDollarAndOverrides()
    {
        var variables = new Dictionary<string, string> { ["GATEWAYS"] = "any" };
        IReadOnlyList<RuleError> errors = RuleVariables.Parse(
            "# comment\n\nHOME_NET = [10.0.0.0/8, 192.168.0.0/16]\r\n$GATEWAYS=\"192.0.2.1\"\n  PORTS = 80 \n", "v.conf", variables);
        Assert.Empty(errors);
        Assert.Equal("[10.0.0.0/8, 192.168.0.0/16]", variables["HOME_NET"]);
        Assert.Equal("192.0.2.1", variables["GATEWAYS"]);
        Assert.Equal("80", variables["PORTS"]);
    }

    [Theory]
    [InlineData("JUSTANAME", 1, 1, "expected NAME = value")]
    [InlineData("  BAD-NAME = 1", 1, 3, "expected a variable name (letters, digits, '_'), found 'BAD-NAME'")]
    [InlineData("OK = 1\nEMPTY =", 2, 8, "expected a value for EMPTY")]
    public void Parse_BadLine_ErrorWithPosition(string text, int line, int column, string message)
    {
        var variables = new Dictionary<string, string>();
        RuleError error = Assert.Single(RuleVariables.Parse(text, "v.conf", variables));
        Assert.Equal(("v.conf", line, column, message), (error.File, error.Line, error.Column, error.Message));
    }

    [Theory]
    [InlineData("HOME_NET=10.0.0.0/8", true)]
    [InlineData("$HOME_NET = any", true)]
    [InlineData("=1", false)]
    [InlineData("X=", false)]
    [InlineData("no equals", false)]
    public void TrySet_Assignment(string assignment, bool ok)
    {
        var variables = new Dictionary<string, string>();
        Assert.Equal(ok, RuleVariables.TrySet(assignment, variables));
        Assert.Equal(ok ? 1 : 0, variables.Count);
    }

    [Fact]
    public void Variables_SetFromCommandLine_UsedByRules()
    {
        var variables = new Dictionary<string, string>();
        RuleVariables.Parse("HOME_NET = any", "v.conf", variables);
        Assert.True(RuleVariables.TrySet("HOME_NET=[10.0.0.0/8]", variables));
        Rule rule = Assert.Single(RuleParser.Parse("alert tcp $HOME_NET any -> any any (sid:1;)", variables: variables).Rules);
        Assert.False(rule.Signature!.Source.IsAny);
    }
}
