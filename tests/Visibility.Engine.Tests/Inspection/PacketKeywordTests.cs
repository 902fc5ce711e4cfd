using System.Text;
using Visibility.Engine.Inspection;
using Visibility.Wire;
using static Visibility.Engine.Tests.Inspection.RuleHarness;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>The non-content keywords: pcre, dsize, flow, esp.*, ike.*, decode-event.</summary>
public sealed class PacketKeywordTests
{
    private static bool Matches(string options, ContextSpec spec) =>
        Match($"alert ip any any -> any any ({options} sid:1;)", spec).Length == 1;

    private static ContextSpec Payload(string text) => Tcp(Encoding.Latin1.GetBytes(text));

    [Theory]
    [InlineData("pcre:\"/ab+c/\";", "xxabbbc", true)]
    [InlineData("pcre:\"/ab+c/\";", "xxABBC", false)]
    [InlineData("pcre:\"/ab+c/i\";", "xxABBC", true)]
    [InlineData("pcre:!\"/ab+c/\";", "xxabbc", false)]
    [InlineData("pcre:!\"/ab+c/\";", "nothing", true)]
    [InlineData("pcre:\"/^USER\\s+\\w+$/m\";", "NOOP\nUSER bob\nQUIT", true)]
    [InlineData("pcre:\"/^USER\\s+\\w+$/\";", "NOOP\nUSER bob\nQUIT", false)]
    [InlineData("pcre:\"/a.b/\";", "a\nb", false)]
    [InlineData("pcre:\"/a.b/s\";", "a\nb", true)]
    [InlineData("pcre:\"/a b c/x\";", "abc", true)]
    [InlineData("pcre:\"/\\xff\\x00/\";", "\u00ff\u0000", true)]
    // R: relative to the previous match end, ^ anchors there
    [InlineData("content:\"key=\"; pcre:\"/^[0-9]+/R\";", "key=123", true)]
    [InlineData("content:\"key=\"; pcre:\"/^[0-9]+/R\";", "key=x123", false)]
    [InlineData("content:\"key=\"; pcre:\"/^[0-9]+/\";", "key=123", false)]
    // content after pcre is relative to the pcre match end
    [InlineData("pcre:\"/id=[0-9]+/\"; content:\"&\"; within:1;", "id=42&", true)]
    [InlineData("pcre:\"/id=[0-9]+/\"; content:\"&\"; within:1;", "id=42x&", false)]
    // backtracking over an earlier content to satisfy a relative pcre
    [InlineData("content:\"k=\"; pcre:\"/^[0-9]/R\";", "k=x k=7", true)]
    public void Pcre_Table_Matches(string options, string payload, bool expected) =>
        Assert.Equal(expected, Matches(options, Payload(payload)));

    [Theory]
    [InlineData("pcre:\"abc\";", "expected '/' to open the expression")]
    [InlineData("pcre:\"/abc\";", "expected a closing '/' before the flags")]
    [InlineData("pcre:\"/abc/U\";", "expected a pcre flag (i, s, m, x, R), found 'U'")]
    [InlineData("pcre:/abc/;", "expected a quoted expression (pcre:\"/regex/flags\")")]
    public void Pcre_BadValue_Error(string options, string message) =>
        Assert.Equal(message, SingleError($"alert ip any any -> any any ({options} sid:1;)").Message);

    [Fact]
    public void Pcre_InvalidExpression_ErrorAtExpression()
    {
        RuleError error = SingleError("alert ip any any -> any any (pcre:\"/a(b/\"; sid:1;)");
        Assert.StartsWith("expected a valid regular expression", error.Message, StringComparison.Ordinal);
        Assert.Equal(37, error.Column);
    }

    [Fact]
    public void Pcre_CatastrophicBacktracking_TimesOutAsNoMatch()
    {
        RuleLoadResult result = new RuleParser(pcreMatchTimeout: TimeSpan.FromMilliseconds(20))
            .AddText("alert ip any any -> any any (pcre:\"/^(a+)+$/\"; sid:1;)", "t.rules");
        RuleEvaluator evaluator = RuleSet.Compile(result.Rules).CreateEvaluator();
        var collector = new ListCollector();
        evaluator.Evaluate(Payload(new string('a', 40) + "!").ToContext(), ref collector);
        Assert.Empty(collector.Matches);
        Assert.Equal(1, evaluator.PcreTimeouts);
    }

    [Theory]
    [InlineData("dsize:5;", 5, true)]
    [InlineData("dsize:5;", 6, false)]
    [InlineData("dsize:=5;", 5, true)]
    [InlineData("dsize:!5;", 5, false)]
    [InlineData("dsize:!5;", 4, true)]
    [InlineData("dsize:<5;", 4, true)]
    [InlineData("dsize:<5;", 5, false)]
    [InlineData("dsize:>5;", 6, true)]
    [InlineData("dsize:>5;", 5, false)]
    [InlineData("dsize:<=5;", 5, true)]
    [InlineData("dsize:>=5;", 4, false)]
    [InlineData("dsize:3<>6;", 4, true)]
    [InlineData("dsize:3<>6;", 3, false)]
    [InlineData("dsize:3<>6;", 6, false)]
    [InlineData("dsize:0;", 0, true)]
    public void Dsize_Table_Matches(string options, int length, bool expected) =>
        Assert.Equal(expected, Matches(options, Tcp(new byte[length])));

    [Theory]
    [InlineData("dsize:abc;", "expected a number 0-65535, found 'abc'")]
    [InlineData("dsize:70000;", "expected a number 0-65535, found '70000'")]
    [InlineData("dsize:6<>6;", "expected a range a<>b with a + 1 < b, found '6<>6'")]
    public void Dsize_BadValue_Error(string options, string message) =>
        Assert.Equal(message, SingleError($"alert ip any any -> any any ({options} sid:1;)").Message);

    [Theory]
    [InlineData("flow:to_server;", PacketDirection.ToServer, false, true)]
    [InlineData("flow:to_server;", PacketDirection.ToClient, false, false)]
    [InlineData("flow:from_client;", PacketDirection.ToServer, false, true)]
    [InlineData("flow:to_client;", PacketDirection.ToClient, true, true)]
    [InlineData("flow:from_server;", PacketDirection.ToServer, true, false)]
    [InlineData("flow:to_server;", PacketDirection.Unknown, true, false)]
    [InlineData("flow:established;", PacketDirection.Unknown, true, true)]
    [InlineData("flow:established;", PacketDirection.ToServer, false, false)]
    [InlineData("flow:not_established;", PacketDirection.ToServer, false, true)]
    [InlineData("flow:to_server,established;", PacketDirection.ToServer, true, true)]
    [InlineData("flow: to_server , established ;", PacketDirection.ToServer, false, false)]
    [InlineData("flow:stateless;", PacketDirection.Unknown, false, true)]
    public void Flow_Table_Matches(string options, PacketDirection direction, bool established, bool expected) =>
        Assert.Equal(expected, Matches(options, Tcp([]) with { Direction = direction, Established = established }));

    [Theory]
    [InlineData("flow:to_server,to_client;", "expected one direction, found both to_server and to_client")]
    [InlineData("flow:sideways;", "expected to_server, to_client, from_client, from_server, established, not_established or stateless, found 'sideways'")]
    public void Flow_BadValue_Error(string options, string message) =>
        Assert.Equal(message, SingleError($"alert ip any any -> any any ({options} sid:1;)").Message);

    private static readonly ContextSpec s_esp = new()
    {
        Protocol = InspectionProtocol.Esp,
        Spi = 0x0000C0DE,
        Verdict = EspVerdictKind.Null,
        IcvLength = 12,
        Encapsulation = EspEncapsulation.WespUdp,
        SourcePort = 4500,
        DestinationPort = 4500,
    };

    [Theory]
    [InlineData("esp.spi:49374;", true)]
    [InlineData("esp.spi:0xc0de;", true)]
    [InlineData("esp.spi:0xC0DF;", false)]
    [InlineData("esp.spi:>256;", true)]
    [InlineData("esp.spi:100-60000;", true)]
    [InlineData("esp.spi:!49374;", false)]
    [InlineData("esp.verdict:null;", true)]
    [InlineData("esp.verdict:encrypted;", false)]
    [InlineData("esp.verdict:unknown;", false)]
    [InlineData("esp.icv_len:12;", true)]
    [InlineData("esp.icv_len:>12;", false)]
    [InlineData("esp.icv_len:<=16;", true)]
    [InlineData("esp.encap:wesp-udp;", true)]
    [InlineData("esp.encap:esp;", false)]
    [InlineData("esp.verdict:null; esp.icv_len:12; esp.encap:wesp-udp; esp.spi:0xc0de;", true)]
    public void Esp_Table_Matches(string options, bool expected) => Assert.Equal(expected, Matches(options, s_esp));

    [Theory]
    [InlineData("esp.verdict:unknown;")]
    [InlineData("esp.spi:0;")]
    [InlineData("esp.icv_len:0;")]
    public void Esp_PlainPacket_NeverMatchesEspKeywords(string options) => Assert.False(Matches(options, Tcp([])));

    [Fact]
    public void Esp_InnerPacketOfNullSa_SeesSaContext() =>
        Assert.True(Matches("esp.verdict:null; content:\"x\";", Tcp("x"u8.ToArray()) with { Encapsulation = EspEncapsulation.Esp, Verdict = EspVerdictKind.Null }));

    [Theory]
    [InlineData("esp.verdict:clear;", "expected null, encrypted or unknown, found 'clear'")]
    [InlineData("esp.encap:gre;", "expected esp, udp, wesp or wesp-udp, found 'gre'")]
    [InlineData("esp.spi:0x1FFFFFFFF;", "expected a number 0-4294967295, found '0x1FFFFFFFF'")]
    [InlineData("esp.icv_len:256;", "expected a number 0-255, found '256'")]
    public void Esp_BadValue_Error(string options, string message) =>
        Assert.Equal(message, SingleError($"alert ip any any -> any any ({options} sid:1;)").Message);

    private static readonly ContextSpec s_ike = new()
    {
        Protocol = InspectionProtocol.Ike,
        SourcePort = 500,
        DestinationPort = 500,
        ExchangeType = 34,
        Notifies = [16388, 16389, 16407],
        RedirectGateway = "192.0.2.33"u8.ToArray(),
        RedirectGatewayAddress = NetworkAddress.Parse("192.0.2.33"),
    };

    [Theory]
    [InlineData("ike.exchange:IKE_SA_INIT;", true)]
    [InlineData("ike.exchange:ike_sa_init;", true)]
    [InlineData("ike.exchange:34;", true)]
    [InlineData("ike.exchange:IKE_AUTH;", false)]
    [InlineData("ike.notify:REDIRECT;", true)]
    [InlineData("ike.notify:16388;", true)]
    [InlineData("ike.notify:REDIRECT; ike.notify:NAT_DETECTION_DESTINATION_IP;", true)]
    [InlineData("ike.notify:COOKIE;", false)]
    [InlineData("ike.redirect_gateway:192.0.2.0/24;", true)]
    [InlineData("ike.redirect_gateway:!192.0.2.0/24;", false)]
    [InlineData("ike.redirect_gateway:![10.0.0.0/8, 2001:db8::/32];", true)]
    [InlineData("ike.redirect_gateway:!any;", false)]
    [InlineData("ike.redirect_gateway;", true)]
    [InlineData("ike.redirect_gateway; content:\"192.0.2.\"; depth:8;", true)]
    [InlineData("ike.redirect_gateway; content:\"0.2.33\"; depth:8;", false)]
    [InlineData("ike.redirect_gateway; pcre:\"/^192\\./\"; pkt_data; content:\"IKE\";", true)]
    [InlineData("ike.redirect_gateway; pcre:\"/^192\\./\"; pkt_data; content:\"ESP\";", false)]
    public void Ike_Table_Matches(string options, bool expected) =>
        Assert.Equal(expected, Matches(options, s_ike with { Payload = "xxIKE"u8.ToArray() }));

    [Fact]
    public void Ike_RedirectByName_MatchesBufferNotAddressForm()
    {
        ContextSpec byName = s_ike with { RedirectGateway = "vpn.example.net"u8.ToArray(), RedirectGatewayAddress = default };
        Assert.True(Matches("ike.redirect_gateway; content:\"example\";", byName));
        Assert.False(Matches("ike.redirect_gateway:!10.0.0.0/8;", byName));
    }

    [Fact]
    public void Ike_NoRedirect_StickyBufferNeverMatches()
    {
        ContextSpec none = s_ike with { RedirectGateway = [], RedirectGatewayAddress = default };
        Assert.False(Matches("ike.redirect_gateway;", none));
        Assert.False(Matches("ike.redirect_gateway; content:!\"x\";", none));
    }

    [Fact]
    public void Ike_ExchangeOnNonIkePacket_NoMatch() =>
        Assert.False(Matches("ike.exchange:34;", Tcp([]) with { ExchangeType = 34 }));

    [Theory]
    [InlineData("ike.exchange:IKE_FOO;", "expected an exchange name (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL, ...) or 0-255, found 'IKE_FOO'")]
    [InlineData("ike.notify:70000;", "expected a notify name (REDIRECT, INVALID_IKE_SPI, ...) or 0-65535, found '70000'")]
    [InlineData("ike.redirect_gateway:vpn.example;", "expected an IPv4 or IPv6 address, found 'vpn.example'")]
    public void Ike_BadValue_Error(string options, string message) =>
        Assert.Equal(message, SingleError($"alert ip any any -> any any ({options} sid:1;)").Message);

    [Fact]
    public void DecodeEvent_EveryName_ParsesAndMatchesItsAnomalyOnly()
    {
        foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
        {
            RuleSet set = Compile($"alert ip any any -> any any (decode-event:{DecodeAnomalyNames.EventName(anomaly)}; sid:1;)");
            Assert.Single(Match(set, new ContextSpec { Anomaly = anomaly }));
            DecodeAnomaly other = anomaly == DecodeAnomaly.IkeMalformed ? DecodeAnomaly.EspZeroSpi : DecodeAnomaly.IkeMalformed;
            Assert.Empty(Match(set, new ContextSpec { Anomaly = other }));
            Assert.Empty(Match(set, new ContextSpec()));
        }
    }

    [Fact]
    public void DecodeEvent_UnknownName_Error() =>
        Assert.Equal("expected a decode event name such as ipv4.trunc_pkt or esp.pkt_too_small, found 'ipv4.bogus'",
            SingleError("alert ip any any -> any any (decode-event:ipv4.bogus; sid:1;)").Message);
}
