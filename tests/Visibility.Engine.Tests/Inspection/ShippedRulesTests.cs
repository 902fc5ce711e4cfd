using System.Text;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Keywords;
using Visibility.Engine.Inspection;
using Visibility.Tests.Shared;
using Visibility.Wire;
using static Visibility.Engine.Tests.Inspection.RuleHarness;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>The rule pack under rules/: it loads cleanly, is complete, and its rules fire where they should.</summary>
public sealed class ShippedRulesTests
{
    private static readonly string s_rulesDirectory = Path.Combine(FindRepositoryRoot(), "rules");

    private static readonly Lazy<(RuleLoadResult Result, Dictionary<string, string> Variables)> s_loaded = new(Load);

    [Fact]
    public void ShippedRules_LoadWithVariables_NoErrors()
    {
        (RuleLoadResult result, _) = s_loaded.Value;
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.True(result.Rules.Count >= DecodeAnomalyNames.All.Length + 10);
        Assert.All(result.Rules, r => Assert.True(r.Sid >= 2_200_000, $"{r} is outside the shipped sid range"));
        Assert.All(result.Rules, r => Assert.False(string.IsNullOrEmpty(r.Message), $"{r} has no msg"));
        Assert.All(result.Rules, r => Assert.NotNull(r.Classtype));
    }

    [Fact]
    public void EngineEvents_EveryDecodeAnomaly_HasOneRuleWithStableSid()
    {
        (RuleLoadResult result, _) = s_loaded.Value;
        List<Rule> events = [.. result.Rules.Where(r => r.File == "engine-events.rules")];
        foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
        {
            Rule rule = Assert.Single(events, r => r.Signature!.Conditions.OfType<DecodeEventCondition>().Any(c => c.Anomaly == anomaly));
            Assert.Equal(2_200_000u + (uint)anomaly, rule.Sid);
        }
        Assert.Equal(DecodeAnomalyNames.All.Length, events.Count);
    }

    [Fact]
    public void Readme_EveryKeyword_HasARow()
    {
        string readme = File.ReadAllText(Path.Combine(s_rulesDirectory, "README.md"));
        foreach (IRuleKeyword keyword in KeywordRegistry.All)
        {
            Assert.True(readme.Contains($"| `{keyword.Name}` |", StringComparison.Ordinal), $"rules/README.md has no row for '{keyword.Name}'");
        }
    }

    [Fact]
    public void EngineEvents_AnomalyPacket_RaisesItsRuleOnly()
    {
        RuleSet set = RuleSet.Compile(s_loaded.Value.Result.Rules);
        foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
        {
            uint[] sids = Match(set, new ContextSpec { Protocol = InspectionProtocol.Other, Anomaly = anomaly });
            Assert.Equal([2_200_000u + (uint)anomaly], sids);
        }
        Assert.Empty(Match(set, new ContextSpec { Protocol = InspectionProtocol.Other }));
    }

    [Theory]
    [InlineData(80, "GET / HTTP/1.1\r\nHost: a\r\nauthorization: basic dXNlcjpwYXNz\r\n\r\n", 2201001u)]
    [InlineData(3128, "GET http://a/ HTTP/1.1\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n", 2201002u)]
    [InlineData(21, "USER alice\r\n", 2201011u)]
    [InlineData(21, "pass secret\r\n", 2201012u)]
    [InlineData(5060, "REGISTER sip:a SIP/2.0\r\nAuthorization: Digest username=\"a\", response=\"00\"\r\n\r\n", 2201031u)]
    public void EspCleartext_CredentialsInsideEspNull_Alert(ushort port, string payload, uint sid)
    {
        RuleSet set = RuleSet.Compile(s_loaded.Value.Result.Rules);
        ContextSpec inner = Tcp(Encoding.Latin1.GetBytes(payload)) with
        {
            DestinationPort = port,
            Encapsulation = EspEncapsulation.Esp,
            Verdict = EspVerdictKind.Null,
            Spi = 0x1000,
        };
        Assert.Equal([sid], Match(set, inner));
        // The same bytes in plain TCP, or in an SA judged encrypted, are not an ESP-NULL finding.
        Assert.Empty(Match(set, inner with { Encapsulation = EspEncapsulation.None, Verdict = EspVerdictKind.Unknown }));
        Assert.Empty(Match(set, inner with { Verdict = EspVerdictKind.Encrypted }));
    }

    [Fact]
    public void EspCleartext_TelnetPromptToClient_Alerts()
    {
        RuleSet set = RuleSet.Compile(s_loaded.Value.Result.Rules);
        var prompt = new ContextSpec
        {
            Protocol = InspectionProtocol.Tcp,
            Source = Server,
            Destination = Client,
            SourcePort = 23,
            DestinationPort = 40000,
            Payload = Encoding.Latin1.GetBytes("\r\nrouter1 login: "),
            Direction = PacketDirection.ToClient,
            Encapsulation = EspEncapsulation.Udp,
            Verdict = EspVerdictKind.Null,
        };
        Assert.Equal([2201021u], Match(set, prompt));
        Assert.Equal([2201022u], Match(set, prompt with { Payload = Encoding.Latin1.GetBytes("Password: ") }));
        Assert.Empty(Match(set, prompt with { Direction = PacketDirection.ToServer }));
    }

    [Fact]
    public void Policy_EspNullToEncryptedNets_AlertsOncePerPairPerHour()
    {
        RuleSet set = RuleSet.Compile(s_loaded.Value.Result.Rules);
        RuleEvaluator evaluator = set.CreateEvaluator();
        var esp = new ContextSpec
        {
            Protocol = InspectionProtocol.Esp,
            Source = Client,
            Destination = Server,
            Payload = [0, 0, 0x10, 0, 0, 0, 0, 1],
            Spi = 0x1000,
            Encapsulation = EspEncapsulation.Esp,
            Verdict = EspVerdictKind.Null,
            Timestamp = 1_000_000_000,
        };
        Assert.Equal([2203001u], Evaluate(evaluator, esp));
        Assert.Empty(Evaluate(evaluator, esp with { Timestamp = 2_000_000_000 }));
        Assert.Equal([2203001u], Evaluate(evaluator, esp with { Timestamp = 3_602_000_000_000 }));
        Assert.Empty(Evaluate(evaluator, esp with { Verdict = EspVerdictKind.Encrypted, Timestamp = 9_000_000_000_000 }));
    }

    [Fact]
    public void Ike_QcdStateLossAndRedirects_Alert()
    {
        RuleSet set = RuleSet.Compile(s_loaded.Value.Result.Rules);
        var ike = new ContextSpec
        {
            Protocol = InspectionProtocol.Ike,
            Source = Server,
            Destination = Client,
            SourcePort = 500,
            DestinationPort = 500,
            ExchangeType = 37,
            Notifies = [4, 16419],
        };
        Assert.Equal([2202011u], Match(set, ike));
        Assert.Empty(Match(set, ike with { Notifies = [4] }));

        // GATEWAYS defaults to any: an address redirect is trusted, an FQDN redirect is reported for review.
        var redirect = ike with
        {
            ExchangeType = 34,
            Notifies = [16407],
            RedirectGateway = "198.51.100.7"u8.ToArray(),
            RedirectGatewayAddress = NetworkAddress.Parse("198.51.100.7"),
        };
        Assert.Empty(Match(set, redirect));
        Assert.Equal([2202002u], Match(set, redirect with { RedirectGateway = "vpn2.example.net"u8.ToArray(), RedirectGatewayAddress = default }));

        var variables = new Dictionary<string, string>(s_loaded.Value.Variables) { ["GATEWAYS"] = "[192.0.2.0/24, 2001:db8::/32]" };
        RuleSet configured = RuleSet.Compile(RuleParser.Parse(File.ReadAllText(Path.Combine(s_rulesDirectory, "ike.rules")), "ike.rules", variables).Rules);
        Assert.Equal([2202001u], Match(configured, redirect));
        Assert.Empty(Match(configured, redirect with
        {
            RedirectGateway = "192.0.2.9"u8.ToArray(),
            RedirectGatewayAddress = NetworkAddress.Parse("192.0.2.9"),
        }));
    }

    private static uint[] Evaluate(RuleEvaluator evaluator, ContextSpec spec)
    {
        var collector = new ListCollector();
        evaluator.Evaluate(spec.ToContext(), ref collector);
        return [.. collector.Matches.Select(m => m.Sid)];
    }

    private static (RuleLoadResult, Dictionary<string, string>) Load()
    {
        var variables = new Dictionary<string, string>();
        IReadOnlyList<RuleError> variableErrors = RuleVariables.Parse(
            File.ReadAllText(Path.Combine(s_rulesDirectory, "variables.conf")), "variables.conf", variables);
        Assert.Empty(variableErrors);
        var parser = new RuleParser(variables);
        foreach (string path in Directory.GetFiles(s_rulesDirectory, "*.rules").Order(StringComparer.Ordinal))
        {
            parser.AddText(File.ReadAllText(path), Path.GetFileName(path));
        }
        return (parser.ToResult(), variables);
    }

    internal static string FindRepositoryRoot() => RepositoryRoot.Path;
}
