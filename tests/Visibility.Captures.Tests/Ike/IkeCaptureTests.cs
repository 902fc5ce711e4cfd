using System.Text.Json;
using Visibility.Cli.Replay;

namespace Visibility.Captures.Tests.Ike;

/// <summary>The IKE tracker over real captures and over the peer's scenario captures with their key files: SAs, states,
/// decryption, Child SAs and the ESP flows tied to them.</summary>
public sealed class IkeCaptureTests
{
    private const string NdpiNatT = "public/nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp.pcap";

    public static TheoryData<string> Scenarios() => new(["null-sha256", "aes128gcm16", "cookie", "invalid-ke"]);

    private static List<JsonElement> Truth(string scenario) =>
        File.ReadLines(RepositoryPaths.Capture($"synthetic/ike/{scenario}/sa.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static string Events(JsonElement ike) => string.Join(",", ike.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

    [Fact]
    [Trait("rfc", "7296-2.6")]
    public void Ikev2Four_CookieRetryAndRekey_OneSaPerSpiRekeyInferred()
    {
        IkeReplay.Result run = IkeReplay.Run("public/tcpdump__tests__ikev2four.pcap");

        Assert.Equal(21, run.OfType("ike").Count());
        Assert.Empty(run.OfType("anomaly"));
        List<JsonElement> sas = run.IkeSas;
        Assert.Equal(2, sas.Count);
        JsonElement first = sas.Single(s => s.GetProperty("init_spi").GetString() == "a88875a8198992a6");
        JsonElement second = sas.Single(s => s.GetProperty("init_spi").GetString() == "1d9be9451d4f97a8");
        Assert.Equal(1, first.GetProperty("cookie_retries").GetInt32());
        Assert.Equal("71be8358efae7663", first.GetProperty("resp_spi").GetString());
        Assert.Equal(20, first.GetProperty("messages").GetInt32());
        Assert.Equal("rekeyed", first.GetProperty("state").GetString());
        Assert.Equal("1d9be9451d4f97a8", first.GetProperty("rekeyed_to").GetString());
        Assert.Equal("a88875a8198992a6", second.GetProperty("rekeyed_from").GetString());
        Assert.True(second.GetProperty("rekey_inferred").GetBoolean());
        Assert.Equal("192.168.1.2", first.GetProperty("initiator").GetString());
        Assert.Equal(["ENCR_AES_CBC_128", "PRF_HMAC_SHA1", "AUTH_HMAC_SHA1_96", "1024-bit MODP Group"],
            first.GetProperty("chosen_proposal").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    [Trait("rfc", "3948-2.2")]
    public void NdpiNatT_OneIkeRecordPerIkePacket_EspFlowsLinkedLikely()
    {
        IkeReplay.Result run = IkeReplay.Run(NdpiNatT);

        long ikePackets = run.OfType("stats").Single().GetProperty("stats").GetProperty("decoder").GetProperty("ike").GetInt64();
        Assert.Equal(519, ikePackets);
        Assert.Equal(ikePackets, run.OfType("ike").Count());
        Assert.Equal(ikePackets, run.IkeByFrame.Count);
        List<JsonElement> espFlows = run.OfType("flow").Where(f => f.TryGetProperty("esp", out _)).ToList();
        Assert.NotEmpty(espFlows);
        foreach (JsonElement flow in espFlows)
        {
            JsonElement link = flow.GetProperty("ike_sa");
            Assert.Equal("likely", link.GetProperty("link").GetString());
            JsonElement sa = run.IkeSas.First(s => s.GetProperty("init_spi").GetString() == link.GetProperty("init_spi").GetString());
            var peers = new[] { sa.GetProperty("initiator").GetString(), sa.GetProperty("responder").GetString() };
            Assert.Contains(flow.GetProperty("src_ip").GetString(), peers);
            Assert.Contains(flow.GetProperty("dest_ip").GetString(), peers);
        }
        // Every INVALID_KE_PAYLOAD answer tshark sees is one retry of an SA that keeps its SPI.
        int invalidKe = File.ReadLines(Path.Combine(RepositoryPaths.Root, "tests", "Visibility.Captures.Tests", "Ike", "Oracle", NdpiNatT + ".ike.jsonl"))
            .Count(l => JsonDocument.Parse(l).RootElement.GetProperty("notify").EnumerateArray().Any(n => n.GetInt32() == 17));
        Assert.True(invalidKe > 0);
        Assert.Equal(invalidKe, run.IkeSas.Sum(sa => sa.GetProperty("invalid_ke_retries").GetInt32()));
        Assert.True(run.IkeSas.Count(sa => sa.GetProperty("established_by").ValueKind == JsonValueKind.String) >= 30);
        Assert.True(run.IkeSas.All(sa => sa.GetProperty("cookie_retries").GetInt32() <= 1));
    }

    [Fact]
    [Trait("rfc", "791-3.2")]
    public void IpsecClient_IpFragmentedIkeAuth_ThreeMessagesTwoRetransmissions()
    {
        IkeReplay.Result run = IkeReplay.Run("public/zeek-spicy-ipsec__tests__traces__ipsec_client.pcap");

        Dictionary<long, JsonElement> ike = run.IkeByFrame;
        Assert.Equal([1L, 2, 5, 8, 11], ike.Keys.Order().ToArray());
        foreach (long frame in new[] { 5L, 8, 11 })
        {
            JsonElement auth = ike[frame].GetProperty("ike");
            Assert.Equal("IKE_AUTH", auth.GetProperty("exchange").GetString());
            Assert.Equal(4500, ike[frame].GetProperty("dest_port").GetInt32());
            Assert.False(auth.GetProperty("decrypted").GetBoolean());
        }
        Assert.Contains("retransmission", Events(ike[8].GetProperty("ike")));
        Assert.Contains("retransmission", Events(ike[11].GetProperty("ike")));
        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.Equal(5, sa.GetProperty("messages").GetInt32());
        Assert.Equal(2, sa.GetProperty("retransmissions").GetInt32());
        Assert.Equal("half_open", sa.GetProperty("state").GetString());
        Assert.Empty(run.OfType("anomaly"));
    }

    [Fact]
    [Trait("rfc", "7296-3.14")]
    public void Ikev2pI2_WithTcpdumpSecrets_IcvDoesNotVerify_AsTshark()
    {
        string keys = Path.Combine(Path.GetTempPath(), "visibility-ikev2pI2-" + Guid.NewGuid().ToString("N"));
        File.WriteAllLines(keys, TcpdumpSecrets.ToWiresharkRows(RepositoryPaths.Capture("public/tcpdump__tests__ikev2pI2-secrets.txt")));
        try
        {
            IkeReplay.Result run = IkeReplay.Run("public/tcpdump__tests__ikev2pI2.pcap", keys);

            Assert.Equal(0, run.ExitCode);
            JsonElement auth = run.IkeByFrame[2].GetProperty("ike");
            Assert.Equal("IKE_AUTH", auth.GetProperty("exchange").GetString());
            Assert.False(auth.GetProperty("decrypted").GetBoolean());
            Assert.Contains("integrity_failed", Events(auth));
            Assert.Equal(JsonValueKind.Null, auth.GetProperty("encrypted_payloads").ValueKind);
        }
        finally
        {
            File.Delete(keys);
        }
    }

    [Theory]
    [Trait("rfc", "7296-1.2")]
    [MemberData(nameof(Scenarios))]
    public void Scenario_WithKeys_DecryptedEstablishedDeletedAndChildSasNegotiated(string scenario)
    {
        IkeReplay.Result run = IkeReplay.Run($"synthetic/ike/{scenario}/capture.pcap", $"synthetic/ike/{scenario}");
        List<JsonElement> truth = Truth(scenario);
        JsonElement ikeTruth = truth.Single(t => t.GetProperty("type").GetString() == "ike");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.OfType("anomaly"));
        foreach (JsonElement record in run.OfType("ike").Select(r => r.GetProperty("ike")))
        {
            bool protectedMessage = record.GetProperty("exchange").GetString() != "IKE_SA_INIT";
            if (protectedMessage)
            {
                Assert.True(record.GetProperty("decrypted").GetBoolean());
                Assert.Equal(JsonValueKind.Array, record.GetProperty("encrypted_payloads").ValueKind);
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, record.GetProperty("decrypted").ValueKind);
            }
        }
        JsonElement authRequest = run.OfType("ike").Select(r => r.GetProperty("ike"))
            .First(i => i.GetProperty("exchange").GetString() == "IKE_AUTH" && !i.GetProperty("response").GetBoolean());
        Assert.Equal(["IDi", "AUTH", "SA", "TSi", "TSr"], authRequest.GetProperty("encrypted_payloads").EnumerateArray().Select(e => e.GetString()!).Take(5));

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.Equal(ikeTruth.GetProperty("init_spi").GetString(), sa.GetProperty("init_spi").GetString());
        Assert.Equal(ikeTruth.GetProperty("resp_spi").GetString(), sa.GetProperty("resp_spi").GetString());
        Assert.Equal("deleted", sa.GetProperty("state").GetString());
        Assert.Equal("decrypted", sa.GetProperty("established_by").GetString());
        Assert.Equal("Shared Key Message Integrity Code", sa.GetProperty("auth_method").GetString());
        Assert.Equal("initiator.test", sa.GetProperty("initiator_id").GetString());
        Assert.Equal("responder.test", sa.GetProperty("responder_id").GetString());
        Assert.Equal(scenario == "cookie" ? 1 : 0, sa.GetProperty("cookie_retries").GetInt32());
        Assert.Equal(scenario == "invalid-ke" ? 1 : 0, sa.GetProperty("invalid_ke_retries").GetInt32());

        JsonElement child = Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
        var espTruth = truth.Where(t => t.GetProperty("type").GetString() == "esp").ToList();
        uint[] childSpis = [child.GetProperty("initiator_spi").GetUInt32(), child.GetProperty("responder_spi").GetUInt32()];
        Assert.Equal(espTruth.Select(t => t.GetProperty("spi").GetUInt32()).Order(), childSpis.Order());

        List<JsonElement> espFlows = run.OfType("flow").Where(f => f.TryGetProperty("esp", out _)).ToList();
        Assert.Equal(2, espFlows.Count);
        foreach (JsonElement flow in espFlows)
        {
            JsonElement esp = flow.GetProperty("esp");
            JsonElement expected = espTruth.Single(t => t.GetProperty("spi").GetUInt32() == esp.GetProperty("spi").GetUInt32());
            JsonElement link = flow.GetProperty("ike_sa");
            Assert.Equal("negotiated", link.GetProperty("link").GetString());
            Assert.Equal(sa.GetProperty("init_spi").GetString(), link.GetProperty("init_spi").GetString());
            Assert.Equal(sa.GetProperty("resp_spi").GetString(), link.GetProperty("resp_spi").GetString());
            Assert.Equal(expected.GetProperty("verdict").GetString(), esp.GetProperty("verdict").GetString());
            if (expected.GetProperty("verdict").GetString() == "null")
            {
                Assert.Equal(expected.GetProperty("icv_len").GetInt32(), esp.GetProperty("icv_len").GetInt32());
            }
            // The verdict was set on the SA's first packet, from the transform.
            JsonElement decided = run.OfType("esp").Single(e => e.GetProperty("esp").GetProperty("spi").GetUInt32() == esp.GetProperty("spi").GetUInt32());
            Assert.Equal("negotiated", decided.GetProperty("esp").GetProperty("reason").GetString());
            Assert.Equal(flow.GetProperty("ike_sa").GetRawText(), decided.GetProperty("ike_sa").GetRawText());
        }
        foreach (JsonElement record in run.Records)
        {
            List<string> problems = EveSchema.Check(record);
            Assert.True(problems.Count == 0, record.GetRawText() + "\n" + string.Join("\n", problems));
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_WithoutKeys_EstablishedByInferenceEspLinkedLikely(string scenario)
    {
        IkeReplay.Result run = IkeReplay.Run($"synthetic/ike/{scenario}/capture.pcap");

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.Equal("established", sa.GetProperty("state").GetString());
        Assert.Equal("inferred", sa.GetProperty("established_by").GetString());
        Assert.Empty(sa.GetProperty("child_sas").EnumerateArray());
        Assert.All(run.OfType("ike").Select(r => r.GetProperty("ike")).Where(i => i.GetProperty("exchange").GetString() != "IKE_SA_INIT"),
            i => Assert.False(i.GetProperty("decrypted").GetBoolean()));
        Assert.All(run.OfType("flow").Where(f => f.TryGetProperty("esp", out _)),
            f => Assert.Equal("likely", f.GetProperty("ike_sa").GetProperty("link").GetString()));
    }

    [Fact]
    public void EspSaFileOnly_VerdictFromKeyFile()
    {
        string folder = Path.Combine(Path.GetTempPath(), "visibility-espsa-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.Copy(RepositoryPaths.Capture("synthetic/ike/aes128gcm16/esp_sa"), Path.Combine(folder, "esp_sa"));
        try
        {
            IkeReplay.Result run = IkeReplay.Run("synthetic/ike/aes128gcm16/capture.pcap", folder);

            List<JsonElement> verdicts = run.OfType("esp").Select(e => e.GetProperty("esp")).ToList();
            Assert.Equal(2, verdicts.Count);
            Assert.All(verdicts, v => Assert.Equal("key_file", v.GetProperty("reason").GetString()));
            Assert.All(verdicts, v => Assert.Equal("encrypted", v.GetProperty("verdict").GetString()));
            Assert.All(run.OfType("flow").Where(f => f.TryGetProperty("esp", out _)),
                f => Assert.Equal("likely", f.GetProperty("ike_sa").GetProperty("link").GetString()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void JsonSummary_ListsIkeSasWithTheirEspFlows()
    {
        IkeReplay.Result run = IkeReplay.Run("synthetic/ike/null-sha256/capture.pcap", "synthetic/ike/null-sha256", SummaryFormat.Json, quiet: false);

        using JsonDocument summary = JsonDocument.Parse(run.Stdout);
        JsonElement ike = summary.RootElement.GetProperty("ike");
        Assert.Equal(8, ike.GetProperty("messages").GetInt32());
        Assert.Equal(6, ike.GetProperty("decrypted").GetInt32());
        Assert.Equal(1, ike.GetProperty("sas").GetInt32());
        JsonElement sa = Assert.Single(summary.RootElement.GetProperty("ike_sas").EnumerateArray());
        Assert.Equal("deleted", sa.GetProperty("outcome").GetString());
        Assert.Equal(1, sa.GetProperty("child_sas").GetInt32());
        List<JsonElement> flows = sa.GetProperty("esp_flows").EnumerateArray().ToList();
        Assert.Equal(2, flows.Count);
        Assert.All(flows, f => Assert.Equal("negotiated", f.GetProperty("link").GetString()));
        Assert.All(flows, f => Assert.Equal("null", f.GetProperty("verdict").GetString()));
        Assert.All(summary.RootElement.GetProperty("esp_sas").EnumerateArray(), e => Assert.Equal("negotiated", e.GetProperty("ike_sa").GetProperty("link").GetString()));
    }

    [Fact]
    public void TextSummary_HasIkeTable()
    {
        IkeReplay.Result run = IkeReplay.Run("synthetic/ike/null-sha256/capture.pcap", "synthetic/ike/null-sha256", SummaryFormat.Text, quiet: false);

        Assert.Contains("IKE security associations", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("deleted", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("negotiated", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("rfc", "5685-7")]
    public void TextSummary_RedirectedClient_OneRowPerIkeSaWithOutcomeAndItsEspFlows()
    {
        IkeReplay.Result run = IkeReplay.Run("synthetic/ike/ss-redirect/capture.pcap", "synthetic/ike/ss-redirect", SummaryFormat.Text, quiet: false);
        IkeReplay.Result eve = IkeReplay.Run("synthetic/ike/ss-redirect/capture.pcap", "synthetic/ike/ss-redirect");

        string[] lines = run.Stdout.Split('\n');
        int table = Array.FindIndex(lines, l => l.Contains("IKE security associations", StringComparison.Ordinal));
        Assert.True(table >= 0, run.Stdout);
        Assert.Equal(2, eve.IkeSas.Count);
        foreach (JsonElement sa in eve.IkeSas)
        {
            string row = Assert.Single(lines.Skip(table), l => l.Contains(sa.GetProperty("init_spi").GetString()!, StringComparison.Ordinal));
            Assert.Contains(sa.GetProperty("resp_spi").GetString()!, row, StringComparison.Ordinal);
            Assert.Contains(" " + sa.GetProperty("outcome").GetString() + " ", row, StringComparison.Ordinal);
            Assert.Contains(" PSK ", row, StringComparison.Ordinal);
            Assert.Contains("2 negotiated, null", row, StringComparison.Ordinal);
        }
        string first = lines.Skip(table).Single(l => l.Contains(eve.IkeSas.Single(s => s.GetProperty("outcome").GetString() == "redirected").GetProperty("init_spi").GetString()!, StringComparison.Ordinal));
        Assert.Contains("to 198.18.0.3", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz,1\n", ":1: ")]
    [InlineData("# comment\n0001020304050607,c02e7a3031a03188,00,00,\"AES-CBC-128 [RFC3602]\",00,00,\"HMAC_SHA1_96 [RFC2404]\"\n", ":2: ")]
    [InlineData("\"IPv4\",\"1.2.3.4\",\"5.6.7.8\",\"0x1\",\"NULL\",\"0x\",\"NO-SUCH-ALG\",\"0x\"\n", ":1: ")]
    public void BadKeyFile_ExitTwo_OneLineNamingFileAndLine(string content, string expectedLocation)
    {
        string keys = Path.Combine(Path.GetTempPath(), "visibility-badkeys-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(keys, content);
        try
        {
            IkeReplay.Result run = IkeReplay.Run("public/tcpdump__tests__ikev2four.pcap", keys);

            Assert.Equal(ExitCodesForTests.InputError, run.ExitCode);
            string line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(keys + expectedLocation, line, StringComparison.Ordinal);
            Assert.Empty(run.Records);
        }
        finally
        {
            File.Delete(keys);
        }
    }

    [Fact]
    public void KeysFolderWithoutKeyFiles_ExitTwo()
    {
        string folder = Path.Combine(Path.GetTempPath(), "visibility-nokeys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            IkeReplay.Result run = IkeReplay.Run("public/tcpdump__tests__ikev2four.pcap", folder);
            Assert.Equal(ExitCodesForTests.InputError, run.ExitCode);
            Assert.Contains("ikev2_decryption_table", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void MissingKeys_ExitTwo()
    {
        IkeReplay.Result run = IkeReplay.Run("public/tcpdump__tests__ikev2four.pcap", "/no/such/keys");
        Assert.Equal(ExitCodesForTests.InputError, run.ExitCode);
        Assert.Contains("/no/such/keys", run.Stderr, StringComparison.Ordinal);
    }
}
