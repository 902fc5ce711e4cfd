using System.Text.Json;

namespace Visibility.Captures.Tests.Ike;

/// <summary>The captures of <c>visibility-peer scenario NAME</c> (captures/synthetic/peer/NAME) replayed with the key
/// files the peer exported: every protected message decrypts, the <c>ike_sa</c> records carry what the scenario did
/// (redirects, EAP-only, QCD, WESP, rekeys, IKE fragmentation) and the ESP flows (UDP-encapsulated, or plain IP protocol
/// 50/141 for the raw scenarios) are tied to the IKE SA that negotiated them, with the
/// verdict and ICV length of the negotiated transform. The truth is the peer's own record of its SAs (sa.jsonl).</summary>
public sealed class PeerScenarioCaptureTests
{
    private const string Psk = "Shared Key Message Integrity Code";

    public static TheoryData<string> Scenarios() => new(
        ["null-esp", "null-esp-raw", "null-gmac", "wesp", "wesp-raw", "redirect-init", "redirect-auth", "redirect-informational", "qcd-crash", "eap-only", "fragmentation", "rekey"]);

    private static IkeReplay.Result Replay(string scenario) => IkeReplay.Run($"synthetic/peer/{scenario}/capture.pcap", $"synthetic/peer/{scenario}");

    private static List<JsonElement> Truth(string scenario, string type) =>
        File.ReadLines(RepositoryPaths.Capture($"synthetic/peer/{scenario}/sa.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(t => t.GetProperty("type").GetString() == type).ToList();

    private static string[] Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];

    private static List<JsonElement> IkeMessages(IkeReplay.Result run) => run.OfType("ike").Select(r => r.GetProperty("ike")).ToList();

    private static JsonElement Sa(IkeReplay.Result run, string initSpi) => run.IkeSas.Single(s => s.GetProperty("init_spi").GetString() == initSpi);

    private static List<JsonElement> EspFlows(IkeReplay.Result run) => run.OfType("flow").Where(f => f.TryGetProperty("esp", out _)).ToList();

    [Theory]
    [Trait("rfc", "7296-2.14")]
    [MemberData(nameof(Scenarios))]
    public void Scenario_WithKeys_EveryProtectedMessageDecryptedAndSchemaValid(string scenario)
    {
        IkeReplay.Result run = Replay(scenario);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.OfType("anomaly"));
        foreach (JsonElement ike in IkeMessages(run))
        {
            string[] payloads = Strings(ike.GetProperty("payloads"));
            if (payloads is ["SKF"])
            {
                // An IKE fragment decrypts when it completes its message (RFC 7383 §2.6); the others stay pending.
                Assert.NotEqual(JsonValueKind.Null, ike.GetProperty("decrypted").ValueKind);
                Assert.DoesNotContain("integrity_failed", Strings(ike.GetProperty("events")));
            }
            else if (payloads.Contains("SK"))
            {
                Assert.True(ike.GetProperty("decrypted").GetBoolean(), ike.GetRawText());
                Assert.Equal(JsonValueKind.Array, ike.GetProperty("encrypted_payloads").ValueKind);
                Assert.Equal(JsonValueKind.Array, ike.GetProperty("encrypted_notify").ValueKind);
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, ike.GetProperty("decrypted").ValueKind);
            }
        }
        // Every IKE SA the peer recorded is one ike_sa record with the same SPIs.
        foreach (JsonElement truth in Truth(scenario, "ike"))
        {
            JsonElement sa = Sa(run, truth.GetProperty("init_spi").GetString()!);
            Assert.Equal(truth.GetProperty("resp_spi").GetString(), sa.GetProperty("resp_spi").GetString());
            // Redirected in its IKE_AUTH response (RFC 5685 §6), an SA never carries a Child SA and is not counted as established.
            bool redirectedInAuth = sa.GetProperty("outcome").GetString() == "redirected" && sa.GetProperty("child_sas").GetArrayLength() == 0;
            Assert.Equal(redirectedInAuth ? null : "decrypted", sa.GetProperty("established_by").GetString());
        }
        foreach (JsonElement record in run.Records)
        {
            List<string> problems = EveSchema.Check(record);
            Assert.True(problems.Count == 0, record.GetRawText() + "\n" + string.Join("\n", problems));
        }
    }

    [Theory]
    [Trait("rfc", "5879-1")]
    [MemberData(nameof(Scenarios))]
    public void Scenario_EspFlows_NegotiatedLinkNullVerdictIcvFromTransform(string scenario)
    {
        IkeReplay.Result run = Replay(scenario);
        List<JsonElement> espTruth = Truth(scenario, "esp");
        List<JsonElement> ikeTruth = Truth(scenario, "ike");

        List<JsonElement> flows = EspFlows(run);
        Assert.Equal(scenario == "qcd-crash" ? 0 : 2, flows.Count);
        foreach (JsonElement flow in flows)
        {
            JsonElement esp = flow.GetProperty("esp");
            uint spi = esp.GetProperty("spi").GetUInt32();
            JsonElement expected = espTruth.Single(t => t.GetProperty("spi").GetUInt32() == spi);
            Assert.Equal("null", esp.GetProperty("verdict").GetString());
            Assert.Equal(expected.GetProperty("verdict").GetString(), esp.GetProperty("verdict").GetString());
            Assert.Equal(expected.GetProperty("icv_len").GetInt32(), esp.GetProperty("icv_len").GetInt32());
            Assert.Equal(expected.GetProperty("encap").GetString(), esp.GetProperty("encap").GetString());
            Assert.Equal("tunnel", esp.GetProperty("mode").GetString());
            Assert.Equal(2, esp.GetProperty("null_packets").GetInt32());

            JsonElement link = flow.GetProperty("ike_sa");
            Assert.Equal("negotiated", link.GetProperty("link").GetString());
            // The SA that carries the Child SA at the end: the negotiating one, or the one that took it over by an IKE rekey.
            string owner = expected.GetProperty("init_spi").GetString()!;
            while (ikeTruth.FirstOrDefault(t => t.TryGetProperty("rekeyed_from", out JsonElement from) && from.GetString() == owner) is { ValueKind: JsonValueKind.Object } successor)
            {
                owner = successor.GetProperty("init_spi").GetString()!;
            }
            Assert.Equal(owner, link.GetProperty("init_spi").GetString());
            JsonElement decided = run.OfType("esp").Single(e => e.GetProperty("esp").GetProperty("spi").GetUInt32() == spi);
            // A WESP header states the verdict itself (E = 0); plain ESP takes it from the negotiated transform.
            string reason = esp.GetProperty("encap").GetString()!.StartsWith("wesp", StringComparison.Ordinal) ? "wesp_integrity_only" : "negotiated";
            Assert.Equal(reason, decided.GetProperty("esp").GetProperty("reason").GetString());
            Assert.Equal(flow.GetProperty("ike_sa").GetRawText(), decided.GetProperty("ike_sa").GetRawText());
        }
    }

    [Fact]
    [Trait("rfc", "7296-1.2")]
    public void NullEsp_OneSaDeletedPskOneNullChildSa()
    {
        IkeReplay.Result run = Replay("null-esp");

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.Equal("deleted", sa.GetProperty("state").GetString());
        Assert.Equal("deleted", sa.GetProperty("outcome").GetString());
        Assert.Equal(Psk, sa.GetProperty("auth_method").GetString());
        Assert.False(sa.GetProperty("eap_only").GetBoolean());
        Assert.Equal(JsonValueKind.Null, sa.GetProperty("redirected_to").ValueKind);
        Assert.Equal(JsonValueKind.Null, sa.GetProperty("redirected_from").ValueKind);
        Assert.Equal(JsonValueKind.Null, sa.GetProperty("rekeyed_from").ValueKind);
        Assert.Equal(8, sa.GetProperty("messages").GetInt32());
        Assert.Equal(0, sa.GetProperty("retransmissions").GetInt32());
        JsonElement child = Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
        Assert.Equal("ENCR_NULL", child.GetProperty("encryption").GetString());
        Assert.Equal("AUTH_HMAC_SHA2_256_128", child.GetProperty("integrity").GetString());
        Assert.Equal(16, child.GetProperty("icv_len").GetInt32());
        Assert.Equal("null", child.GetProperty("verdict").GetString());
        Assert.False(child.GetProperty("wesp").GetBoolean());
        uint[] spis = [child.GetProperty("initiator_spi").GetUInt32(), child.GetProperty("responder_spi").GetUInt32()];
        Assert.Equal(Truth("null-esp", "esp").Select(t => t.GetProperty("spi").GetUInt32()).Order(), spis.Order());
    }

    [Fact]
    [Trait("rfc", "4543-3")]
    public void NullGmac_WithKeys_VerdictNullFromTransformLearnedInIkeAuth()
    {
        // Wireshark has no GMAC cipher, so the peer writes no esp_sa rows: the transform comes from the decrypted IKE_AUTH.
        Assert.False(File.Exists(RepositoryPaths.Capture("synthetic/peer/null-gmac/esp_sa")));
        IkeReplay.Result run = Replay("null-gmac");

        JsonElement sa = Assert.Single(run.IkeSas);
        JsonElement child = Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
        Assert.Equal("ENCR_NULL_AUTH_AES_GMAC", child.GetProperty("encryption").GetString());
        Assert.Equal(128, child.GetProperty("key_length").GetInt32());
        Assert.Equal("NONE", child.GetProperty("integrity").GetString());
        Assert.Equal(16, child.GetProperty("icv_len").GetInt32());
        Assert.Equal("null", child.GetProperty("verdict").GetString());

        List<JsonElement> flows = EspFlows(run);
        Assert.Equal(2, flows.Count);
        foreach (JsonElement flow in flows)
        {
            JsonElement esp = flow.GetProperty("esp");
            Assert.Equal("null", esp.GetProperty("verdict").GetString());
            Assert.Equal(16, esp.GetProperty("icv_len").GetInt32());
            // RFC 4543 §3.1: the 8-octet IV sits between the sequence number and the cleartext payload.
            Assert.Equal(8, esp.GetProperty("iv_len").GetInt32());
            Assert.Equal([4], esp.GetProperty("next_headers").EnumerateArray().Select(n => n.GetInt32()));
            Assert.Equal("negotiated", flow.GetProperty("ike_sa").GetProperty("link").GetString());
            JsonElement decided = run.OfType("esp").Single(e => e.GetProperty("esp").GetProperty("spi").GetUInt32() == esp.GetProperty("spi").GetUInt32());
            Assert.Equal("negotiated", decided.GetProperty("esp").GetProperty("reason").GetString());
            Assert.Equal(8, decided.GetProperty("esp").GetProperty("iv_len").GetInt32());
            Assert.Equal("negotiated", decided.GetProperty("ike_sa").GetProperty("link").GetString());
        }
    }

    [Fact]
    [Trait("rfc", "4543-3")]
    public void NullGmac_WithoutKeys_VerdictNullFromTheCleartext()
    {
        IkeReplay.Result run = IkeReplay.Run("synthetic/peer/null-gmac/capture.pcap");

        List<JsonElement> flows = EspFlows(run);
        Assert.Equal(2, flows.Count);
        Assert.All(flows, f => Assert.Equal("null", f.GetProperty("esp").GetProperty("verdict").GetString()));
        Assert.All(flows, f => Assert.Equal(16, f.GetProperty("esp").GetProperty("icv_len").GetInt32()));
        Assert.All(flows, f => Assert.Equal(8, f.GetProperty("esp").GetProperty("iv_len").GetInt32()));
        Assert.All(run.OfType("esp"), e => Assert.NotEqual("negotiated", e.GetProperty("esp").GetProperty("reason").GetString()));
    }

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Fragmentation_EveryFragmentItsOwnRecord_CompletingFragmentCarriesTheMessage()
    {
        IkeReplay.Result run = Replay("fragmentation");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.OfType("anomaly"));
        List<JsonElement> messages = IkeMessages(run);
        // RFC 7383 §2.3: both peers announce the extension in IKE_SA_INIT.
        Assert.All(messages.Where(m => m.GetProperty("exchange").GetString() == "IKE_SA_INIT"),
            m => Assert.Contains("IKEV2_FRAGMENTATION_SUPPORTED", Strings(m.GetProperty("notify"))));
        List<JsonElement> fragments = messages.Where(m => Strings(m.GetProperty("payloads")) is ["SKF"]).ToList();
        Assert.True(fragments.Count >= 4, $"{fragments.Count} SKF records");
        Assert.All(fragments, f => Assert.Equal("IKE_AUTH", f.GetProperty("exchange").GetString()));
        Assert.All(fragments, f => Assert.DoesNotContain("integrity_failed", Strings(f.GetProperty("events"))));

        int completed = 0;
        foreach (IGrouping<(string, bool, uint), JsonElement> message in fragments.GroupBy(f =>
            (f.GetProperty("init_spi").GetString()!, f.GetProperty("response").GetBoolean(), f.GetProperty("message_id").GetUInt32())))
        {
            JsonElement[] parts = message.ToArray();
            int total = parts[0].GetProperty("fragment").GetProperty("total").GetInt32();
            Assert.True(total > 1);
            Assert.Equal(Enumerable.Range(1, total), parts.Select(p => p.GetProperty("fragment").GetProperty("number").GetInt32()));
            Assert.All(parts, p => Assert.Equal(total, p.GetProperty("fragment").GetProperty("total").GetInt32()));
            // The last fragment to arrive completes the message: decrypted, with the inner payloads of the whole message.
            JsonElement last = parts[^1];
            Assert.True(last.GetProperty("decrypted").GetBoolean(), last.GetRawText());
            Assert.Contains("fragment_reassembled", Strings(last.GetProperty("events")));
            Assert.Equal(["EAP"], Strings(last.GetProperty("encrypted_payloads")));
            Assert.Equal("EAP-TLS", last.GetProperty("eap").GetProperty("type_name").GetString());
            Assert.All(parts[..^1], p => Assert.False(p.GetProperty("decrypted").GetBoolean(), p.GetRawText()));
            Assert.All(parts[..^1], p => Assert.DoesNotContain("fragment_reassembled", Strings(p.GetProperty("events"))));
            completed++;
        }
        Assert.True(completed >= 2, $"{completed} fragmented messages");

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.True(sa.GetProperty("eap_only").GetBoolean());
        Assert.Equal("EAP-TLS", sa.GetProperty("eap_type").GetString());
        Assert.Equal("EAP", sa.GetProperty("auth_method").GetString());
        Assert.Equal(fragments.Count, sa.GetProperty("fragments").GetInt32());
        Assert.Contains("fragment_reassembled", Strings(sa.GetProperty("events")));
        Assert.Equal(messages.Count, sa.GetProperty("messages").GetInt32());
        Assert.Equal("deleted", sa.GetProperty("outcome").GetString());
        Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
    }

    [Fact]
    [Trait("rfc", "5840-1.3")]
    public void Wesp_UseWespModeInBothIkeAuthMessages_ChildSaWespAndFlowsWespUdp()
    {
        IkeReplay.Result run = Replay("wesp");

        List<JsonElement> auth = IkeMessages(run).Where(i => i.GetProperty("exchange").GetString() == "IKE_AUTH").ToList();
        Assert.Equal(2, auth.Count);
        Assert.All(auth, a => Assert.Contains("USE_WESP_MODE", Strings(a.GetProperty("encrypted_notify"))));
        // In the clear nothing shows the negotiation.
        Assert.All(auth, a => Assert.Empty(Strings(a.GetProperty("notify"))));
        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.True(sa.GetProperty("wesp").GetBoolean());
        JsonElement child = Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
        Assert.True(child.GetProperty("wesp").GetBoolean());
        Assert.Equal("null", child.GetProperty("verdict").GetString());
        Assert.All(EspFlows(run), f => Assert.Equal("wesp-udp", f.GetProperty("esp").GetProperty("encap").GetString()));
    }

    [Theory]
    [Trait("rfc", "7296-2.23")]
    [InlineData("null-esp-raw", "ESP", "esp", false)]
    [InlineData("wesp-raw", "WESP", "wesp", true)]
    public void RawScenario_NoNat_IkeOnPort500OnlyChildSaAsPlainIpProtocol(string scenario, string proto, string encap, bool wesp)
    {
        IkeReplay.Result run = Replay(scenario);

        // No NAT between 127.0.0.1 and 127.0.0.2: IKE never floats to 4500 and the Child SA is not UDP-encapsulated.
        List<JsonElement> flows = run.OfType("flow").ToList();
        JsonElement ikeFlow = Assert.Single(flows, f => f.GetProperty("proto").GetString() == "UDP");
        Assert.Equal(500, ikeFlow.GetProperty("src_port").GetInt32());
        Assert.Equal(500, ikeFlow.GetProperty("dest_port").GetInt32());
        List<JsonElement> espFlows = EspFlows(run);
        Assert.Equal(2, espFlows.Count);
        Assert.Equal(flows.Count, espFlows.Count + 1);
        foreach (JsonElement flow in espFlows)
        {
            Assert.Equal(proto, flow.GetProperty("proto").GetString());
            Assert.False(flow.TryGetProperty("src_port", out _));
            Assert.Equal(encap, flow.GetProperty("esp").GetProperty("encap").GetString());
            Assert.Equal("null", flow.GetProperty("esp").GetProperty("verdict").GetString());
            Assert.Equal([4], flow.GetProperty("esp").GetProperty("next_headers").EnumerateArray().Select(n => n.GetInt32()));
        }
        JsonElement child = Assert.Single(Assert.Single(run.IkeSas).GetProperty("child_sas").EnumerateArray());
        Assert.Equal(wesp, child.GetProperty("wesp").GetBoolean());
        Assert.All(Truth(scenario, "esp"), t => Assert.Equal(encap, t.GetProperty("encap").GetString()));
    }

    [Fact]
    [Trait("rfc", "5685-5")]
    public void RedirectInit_ClearRedirectInSaInitResponse_SecondSaRedirectedFromFirst()
    {
        IkeReplay.Result run = Replay("redirect-init");

        Assert.Equal(2, run.IkeSas.Count);
        JsonElement first = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.2");
        JsonElement second = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.3");
        Assert.Equal("redirected", first.GetProperty("state").GetString());
        Assert.Equal("redirected", first.GetProperty("outcome").GetString());
        Assert.Equal("127.0.0.3", first.GetProperty("redirected_to").GetString());
        Assert.Equal("0000000000000000", first.GetProperty("resp_spi").GetString());
        Assert.Empty(first.GetProperty("child_sas").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("auth_method").ValueKind);

        JsonElement redirect = IkeMessages(run).Single(i => Strings(i.GetProperty("notify")).Contains("REDIRECT"));
        Assert.Equal("IKE_SA_INIT", redirect.GetProperty("exchange").GetString());
        Assert.True(redirect.GetProperty("response").GetBoolean());
        Assert.Equal("127.0.0.3", redirect.GetProperty("redirect").GetProperty("gateway").GetString());
        Assert.Equal("ipv4", redirect.GetProperty("redirect").GetProperty("gateway_type").GetString());

        Assert.Equal("127.0.0.2", second.GetProperty("redirected_from").GetString());
        Assert.Equal(first.GetProperty("init_spi").GetString(), second.GetProperty("redirected_from_sa").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("redirected_to").ValueKind);
        Assert.Equal("deleted", second.GetProperty("outcome").GetString());
        Assert.Single(second.GetProperty("child_sas").EnumerateArray());
        Assert.All(EspFlows(run), f => Assert.Equal(second.GetProperty("init_spi").GetString(), f.GetProperty("ike_sa").GetProperty("init_spi").GetString()));
    }

    [Fact]
    [Trait("rfc", "5685-6")]
    public void RedirectAuth_EncryptedRedirectInsteadOfChildSa_FirstSaRedirectedNoChild()
    {
        IkeReplay.Result run = Replay("redirect-auth");

        Assert.Equal(2, run.IkeSas.Count);
        JsonElement first = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.2");
        JsonElement second = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.3");
        JsonElement response = IkeMessages(run).Single(i => i.GetProperty("exchange").GetString() == "IKE_AUTH" &&
            i.GetProperty("response").GetBoolean() && i.GetProperty("init_spi").GetString() == first.GetProperty("init_spi").GetString());
        Assert.Equal(["IDr", "AUTH", "N"], Strings(response.GetProperty("encrypted_payloads")));
        Assert.Equal(["REDIRECT"], Strings(response.GetProperty("encrypted_notify")));
        Assert.Equal("127.0.0.3", response.GetProperty("redirect").GetProperty("gateway").GetString());

        Assert.Equal("redirected", first.GetProperty("outcome").GetString());
        Assert.Equal("127.0.0.3", first.GetProperty("redirected_to").GetString());
        Assert.Equal(Psk, first.GetProperty("auth_method").GetString());
        Assert.Empty(first.GetProperty("child_sas").EnumerateArray());
        Assert.Equal("127.0.0.2", second.GetProperty("redirected_from").GetString());
        Assert.Equal(first.GetProperty("init_spi").GetString(), second.GetProperty("redirected_from_sa").GetString());
        Assert.Equal("deleted", second.GetProperty("outcome").GetString());
        Assert.Single(second.GetProperty("child_sas").EnumerateArray());
    }

    [Fact]
    [Trait("rfc", "5685-7")]
    public void RedirectInformational_GatewayInitiatedRedirectOfEstablishedSa_NewSaRedirectedFrom()
    {
        IkeReplay.Result run = Replay("redirect-informational");

        JsonElement first = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.2");
        JsonElement second = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.3");
        JsonElement redirect = IkeMessages(run).Single(i => Strings(i.GetProperty("encrypted_notify")).Contains("REDIRECT"));
        Assert.Equal("INFORMATIONAL", redirect.GetProperty("exchange").GetString());
        Assert.False(redirect.GetProperty("initiator").GetBoolean());
        Assert.False(redirect.GetProperty("response").GetBoolean());
        Assert.Equal(first.GetProperty("init_spi").GetString(), redirect.GetProperty("init_spi").GetString());
        Assert.Equal("127.0.0.3", redirect.GetProperty("redirect").GetProperty("gateway").GetString());

        Assert.Equal("redirected", first.GetProperty("outcome").GetString());
        Assert.Equal("127.0.0.3", first.GetProperty("redirected_to").GetString());
        Assert.Single(first.GetProperty("child_sas").EnumerateArray());
        Assert.Equal("127.0.0.2", second.GetProperty("redirected_from").GetString());
        Assert.Equal(first.GetProperty("init_spi").GetString(), second.GetProperty("redirected_from_sa").GetString());
        Assert.Equal("deleted", second.GetProperty("outcome").GetString());
    }

    [Theory]
    [Trait("rfc", "5685-5")]
    [InlineData("redirect-init")]
    [InlineData("redirect-auth")]
    [InlineData("redirect-informational")]
    public void Redirect_WithoutKeys_NewSaLinkedToTheSaItLeft(string scenario)
    {
        IkeReplay.Result run = IkeReplay.Run($"synthetic/peer/{scenario}/capture.pcap");

        JsonElement first = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.2");
        JsonElement second = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "127.0.0.3");
        Assert.Equal("127.0.0.2", second.GetProperty("redirected_from").GetString());
        Assert.Equal(first.GetProperty("init_spi").GetString(), second.GetProperty("redirected_from_sa").GetString());
        // Only the clear REDIRECT of IKE_SA_INIT is visible without keys.
        Assert.Equal(scenario == "redirect-init" ? "127.0.0.3" : null, first.GetProperty("redirected_to").GetString());
    }

    [Fact]
    [Trait("rfc", "6290-4")]
    public void QcdCrash_TokenInIkeAuthThenClearInvalidIkeSpiWithSameToken_PeerLostState()
    {
        IkeReplay.Result run = Replay("qcd-crash");

        List<JsonElement> messages = IkeMessages(run);
        JsonElement authResponse = messages.Single(i => i.GetProperty("exchange").GetString() == "IKE_AUTH" && i.GetProperty("response").GetBoolean());
        Assert.Contains("QUICK_CRASH_DETECTION", Strings(authResponse.GetProperty("encrypted_notify")));
        string token = authResponse.GetProperty("qcd").GetProperty("token").GetString()!;
        Assert.False(authResponse.GetProperty("qcd").GetProperty("peer_lost_state").GetBoolean());

        JsonElement crash = messages[^1];
        Assert.Equal("INFORMATIONAL", crash.GetProperty("exchange").GetString());
        Assert.True(crash.GetProperty("response").GetBoolean());
        Assert.Equal(["N", "N"], Strings(crash.GetProperty("payloads")));
        Assert.Equal(["INVALID_IKE_SPI", "QUICK_CRASH_DETECTION"], Strings(crash.GetProperty("notify")));
        Assert.Equal(JsonValueKind.Null, crash.GetProperty("decrypted").ValueKind);
        Assert.True(crash.GetProperty("qcd").GetProperty("peer_lost_state").GetBoolean());
        Assert.Equal(token, crash.GetProperty("qcd").GetProperty("token").GetString());
        Assert.Contains("peer_lost_state", Strings(crash.GetProperty("events")));
        Assert.Single(messages, m => Strings(m.GetProperty("events")).Contains("peer_lost_state"));

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.True(sa.GetProperty("qcd").GetProperty("peer_lost_state").GetBoolean());
        Assert.True(sa.GetProperty("qcd").GetProperty("token_matched").GetBoolean());
        Assert.Contains("peer_lost_state", Strings(sa.GetProperty("events")));
    }

    [Fact]
    [Trait("rfc", "5998-3")]
    public void EapOnly_NoAuthUntilMsk_EapOnlyTrueEapTls()
    {
        IkeReplay.Result run = Replay("eap-only");

        List<JsonElement> auth = IkeMessages(run).Where(i => i.GetProperty("exchange").GetString() == "IKE_AUTH").ToList();
        Assert.Equal(["IDi", "N", "SA", "TSi", "TSr"], Strings(auth[0].GetProperty("encrypted_payloads")));
        Assert.Equal(["EAP_ONLY_AUTHENTICATION"], Strings(auth[0].GetProperty("encrypted_notify")));
        Assert.Equal(["IDr", "EAP"], Strings(auth[1].GetProperty("encrypted_payloads")));
        Assert.Equal("Identity", auth[1].GetProperty("eap").GetProperty("type_name").GetString());
        Assert.Contains(auth, a => a.GetProperty("eap").ValueKind == JsonValueKind.Object && a.GetProperty("eap").GetProperty("type_name").GetString() == "EAP-TLS");
        Assert.Equal("success", auth[^3].GetProperty("eap").GetProperty("code").GetString());
        Assert.Equal(["AUTH"], Strings(auth[^2].GetProperty("encrypted_payloads")));
        Assert.Equal(["AUTH", "SA", "TSi", "TSr"], Strings(auth[^1].GetProperty("encrypted_payloads")));

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.True(sa.GetProperty("eap_only").GetBoolean());
        Assert.Equal("EAP-TLS", sa.GetProperty("eap_type").GetString());
        Assert.Equal("EAP", sa.GetProperty("auth_method").GetString());
        Assert.Equal("deleted", sa.GetProperty("outcome").GetString());
        Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
    }

    [Fact]
    [Trait("rfc", "7296-2.8")]
    public void Rekey_ChildThenIkeRekey_RekeyedFromAndChildSasFollowTheNewSa()
    {
        IkeReplay.Result run = Replay("rekey");
        List<JsonElement> ikeTruth = Truth("rekey", "ike");
        string oldSpi = ikeTruth[0].GetProperty("init_spi").GetString()!;
        string newSpi = ikeTruth.Single(t => t.TryGetProperty("rekeyed_from", out _)).GetProperty("init_spi").GetString()!;
        Assert.Equal(oldSpi, ikeTruth[1].GetProperty("rekeyed_from").GetString());

        JsonElement old = Sa(run, oldSpi);
        JsonElement renewed = Sa(run, newSpi);
        Assert.Equal("rekeyed", old.GetProperty("outcome").GetString());
        Assert.Equal(newSpi, old.GetProperty("rekeyed_to").GetString());
        Assert.Equal(oldSpi, renewed.GetProperty("rekeyed_from").GetString());
        Assert.False(renewed.GetProperty("rekey_inferred").GetBoolean());
        Assert.Equal("deleted", renewed.GetProperty("outcome").GetString());

        List<JsonElement> espTruth = Truth("rekey", "esp");
        JsonElement[] children = renewed.GetProperty("child_sas").EnumerateArray().ToArray();
        Assert.Equal(2, children.Length);
        JsonElement original = children.Single(c => c.GetProperty("exchange").GetString() == "IKE_AUTH");
        JsonElement rekeyed = children.Single(c => c.GetProperty("exchange").GetString() == "CREATE_CHILD_SA");
        Assert.True(original.GetProperty("deleted").GetBoolean());
        Assert.False(rekeyed.GetProperty("deleted").GetBoolean());
        uint rekeyOf = espTruth.Single(t => t.TryGetProperty("rekey_of", out _) && t.GetProperty("direction").GetString() == "inbound").GetProperty("rekey_of").GetUInt32();
        Assert.Equal(rekeyOf, rekeyed.GetProperty("rekey_of").GetUInt32());
        uint[] newSpis = espTruth.Where(t => t.TryGetProperty("rekey_of", out _)).Select(t => t.GetProperty("spi").GetUInt32()).Order().ToArray();
        Assert.Equal(newSpis, new[] { rekeyed.GetProperty("initiator_spi").GetUInt32(), rekeyed.GetProperty("responder_spi").GetUInt32() }.Order());
        // The pings ran through the rekeyed Child SA only.
        Assert.Equal(newSpis, EspFlows(run).Select(f => f.GetProperty("esp").GetProperty("spi").GetUInt32()).Order());
    }
}
