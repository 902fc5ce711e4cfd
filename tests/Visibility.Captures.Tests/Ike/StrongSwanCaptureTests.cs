using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Visibility.Wire;
using Visibility.Wire.Ike;
using Visibility.Wire.Pcap;

namespace Visibility.Captures.Tests.Ike;

/// <summary>Captures of two strongSwan 5.9.8 daemons (captures/synthetic/ike/ss-*, made by
/// tests/generators/strongswan_captures.sh) replayed with the keys charon logged: redirect of an established SA, EAP-only
/// with EAP-TLS, IKE fragmentation, IPv6 and NAT traversal through a real masquerading NAT. The truth is the daemons'
/// configuration and their own logs (truth.jsonl).</summary>
public sealed class StrongSwanCaptureTests
{
    public static TheoryData<string> Scenarios() => new(["ss-redirect", "ss-eap-tls", "ss-fragmentation", "ss-ipv6", "ss-nat-t"]);

    private static IkeReplay.Result Replay(string scenario) => IkeReplay.Run($"synthetic/ike/{scenario}/capture.pcap", $"synthetic/ike/{scenario}");

    private static List<JsonElement> Truth(string scenario, string type) =>
        File.ReadLines(RepositoryPaths.Capture($"synthetic/ike/{scenario}/truth.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(t => t.GetProperty("type").GetString() == type).ToList();

    private static string[] Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];

    private static List<JsonElement> IkeMessages(IkeReplay.Result run) => run.OfType("ike").Select(r => r.GetProperty("ike")).ToList();

    private static List<JsonElement> EspFlows(IkeReplay.Result run) => run.OfType("flow").Where(f => f.TryGetProperty("esp", out _)).ToList();

    [Theory]
    [Trait("rfc", "7296-1.2")]
    [MemberData(nameof(Scenarios))]
    public void Scenario_WithKeys_EverySaDecryptedEstablishedDeletedEspNegotiated(string scenario)
    {
        IkeReplay.Result run = Replay(scenario);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.OfType("anomaly"));
        foreach (JsonElement ike in IkeMessages(run))
        {
            string[] payloads = Strings(ike.GetProperty("payloads"));
            if (payloads.Contains("SK"))
            {
                Assert.True(ike.GetProperty("decrypted").GetBoolean(), ike.GetRawText());
            }
            else if (!payloads.Contains("SKF"))
            {
                Assert.Equal(JsonValueKind.Null, ike.GetProperty("decrypted").ValueKind);
            }
        }
        List<JsonElement> ikeTruth = Truth(scenario, "ike");
        Assert.Equal(ikeTruth.Count, run.IkeSas.Count);
        foreach (JsonElement truth in ikeTruth)
        {
            JsonElement sa = run.IkeSas.Single(s => s.GetProperty("init_spi").GetString() == truth.GetProperty("init_spi").GetString());
            Assert.Equal(truth.GetProperty("resp_spi").GetString(), sa.GetProperty("resp_spi").GetString());
            Assert.Equal("decrypted", sa.GetProperty("established_by").GetString());
            Assert.Equal(scenario == "ss-redirect" && sa.GetProperty("redirected_from").ValueKind == JsonValueKind.Null ? "redirected" : "deleted",
                sa.GetProperty("outcome").GetString());
            Assert.Equal("client.test", sa.GetProperty("initiator_id").GetString());
            Assert.Equal("gw.test", sa.GetProperty("responder_id").GetString());
            Assert.Equal(0, sa.GetProperty("retransmissions").GetInt32());
            Assert.Equal(["ENCR_" + truth.GetProperty("encryption").GetString()], sa.GetProperty("chosen_proposal").EnumerateArray().Take(1).Select(e => e.GetString()!));
        }

        List<JsonElement> espTruth = Truth(scenario, "esp");
        List<JsonElement> flows = EspFlows(run);
        Assert.Equal(espTruth.Count, flows.Count);
        foreach (JsonElement flow in flows)
        {
            JsonElement esp = flow.GetProperty("esp");
            JsonElement expected = espTruth.Single(t => t.GetProperty("spi").GetUInt32() == esp.GetProperty("spi").GetUInt32());
            Assert.Equal(expected.GetProperty("src_ip").GetString(), flow.GetProperty("src_ip").GetString());
            Assert.Equal(expected.GetProperty("dest_ip").GetString(), flow.GetProperty("dest_ip").GetString());
            Assert.Equal("null", esp.GetProperty("verdict").GetString());
            Assert.Equal(expected.GetProperty("icv_len").GetInt32(), esp.GetProperty("icv_len").GetInt32());
            // kernel-libipsec sends ESP in UDP only (RFC 3948), NAT or not.
            Assert.Equal("udp", esp.GetProperty("encap").GetString());
            Assert.Equal(4500, flow.GetProperty("dest_port").GetInt32());
            Assert.Equal("tunnel", esp.GetProperty("mode").GetString());
            Assert.Equal(2, esp.GetProperty("null_packets").GetInt32());
            Assert.Equal("negotiated", flow.GetProperty("ike_sa").GetProperty("link").GetString());
            JsonElement owner = run.IkeSas.Single(s => s.GetProperty("init_spi").GetString() == flow.GetProperty("ike_sa").GetProperty("init_spi").GetString());
            Assert.Contains(owner.GetProperty("child_sas").EnumerateArray(), c =>
                c.GetProperty("initiator_spi").GetUInt32() == esp.GetProperty("spi").GetUInt32() || c.GetProperty("responder_spi").GetUInt32() == esp.GetProperty("spi").GetUInt32());
        }
        foreach (JsonElement record in run.Records)
        {
            List<string> problems = EveSchema.Check(record);
            Assert.True(problems.Count == 0, record.GetRawText() + "\n" + string.Join("\n", problems));
        }
    }

    [Fact]
    [Trait("rfc", "5685-7")]
    public void Redirect_SwanctlRedirectOfEstablishedSa_ClientFollowsToSecondAddress()
    {
        IkeReplay.Result run = Replay("ss-redirect");

        JsonElement first = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "198.18.0.2");
        JsonElement second = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "198.18.0.3");
        JsonElement redirect = IkeMessages(run).Single(i => Strings(i.GetProperty("encrypted_notify")).Contains("REDIRECT"));
        Assert.Equal("INFORMATIONAL", redirect.GetProperty("exchange").GetString());
        Assert.False(redirect.GetProperty("initiator").GetBoolean());
        Assert.False(redirect.GetProperty("response").GetBoolean());
        Assert.Equal(["N"], Strings(redirect.GetProperty("encrypted_payloads")));
        Assert.Equal("ipv4", redirect.GetProperty("redirect").GetProperty("gateway_type").GetString());
        Assert.Equal("198.18.0.3", redirect.GetProperty("redirect").GetProperty("gateway").GetString());
        // The redirect came after the SA was set up and carried traffic.
        Assert.Contains(IkeMessages(run), i => i.GetProperty("init_spi").GetString() == first.GetProperty("init_spi").GetString() &&
            Strings(i.GetProperty("events")).Contains("child_sa"));

        Assert.Equal("redirected", first.GetProperty("state").GetString());
        Assert.Equal("198.18.0.3", first.GetProperty("redirected_to").GetString());
        Assert.Single(first.GetProperty("child_sas").EnumerateArray());
        JsonElement init = IkeMessages(run).Single(i => i.GetProperty("init_spi").GetString() == second.GetProperty("init_spi").GetString() &&
            i.GetProperty("exchange").GetString() == "IKE_SA_INIT" && !i.GetProperty("response").GetBoolean());
        Assert.Contains("REDIRECTED_FROM", Strings(init.GetProperty("notify")));
        Assert.Equal("198.18.0.2", second.GetProperty("redirected_from").GetString());
        Assert.Equal(first.GetProperty("init_spi").GetString(), second.GetProperty("redirected_from_sa").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("redirected_to").ValueKind);
        // Two pings before the redirect through the first SA's Child SA, two after through the second's.
        Assert.Equal(2, EspFlows(run).Count(f => f.GetProperty("ike_sa").GetProperty("init_spi").GetString() == first.GetProperty("init_spi").GetString()));
        Assert.Equal(2, EspFlows(run).Count(f => f.GetProperty("ike_sa").GetProperty("init_spi").GetString() == second.GetProperty("init_spi").GetString()));
    }

    [Fact]
    [Trait("rfc", "5685-5")]
    public void Redirect_WithoutKeys_RedirectedFromNamesTheGatewayOfTheClientsEarlierSa()
    {
        // The REDIRECT is encrypted; the new SA's clear REDIRECTED_FROM carries the old gateway's address.
        IkeReplay.Result run = IkeReplay.Run("synthetic/ike/ss-redirect/capture.pcap");

        JsonElement first = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "198.18.0.2");
        JsonElement second = run.IkeSas.Single(s => s.GetProperty("responder").GetString() == "198.18.0.3");
        Assert.Equal(JsonValueKind.Null, first.GetProperty("redirected_to").ValueKind);
        Assert.Equal("198.18.0.2", second.GetProperty("redirected_from").GetString());
        Assert.Equal(first.GetProperty("init_spi").GetString(), second.GetProperty("redirected_from_sa").GetString());
    }

    [Fact]
    [Trait("rfc", "5998-3")]
    public void EapTls_EapOnlyBetweenTwoCharons_EapOnlyTrue()
    {
        IkeReplay.Result run = Replay("ss-eap-tls");

        List<JsonElement> auth = IkeMessages(run).Where(i => i.GetProperty("exchange").GetString() == "IKE_AUTH").ToList();
        Assert.Contains("EAP_ONLY_AUTHENTICATION", Strings(auth[0].GetProperty("encrypted_notify")));
        Assert.DoesNotContain("AUTH", Strings(auth[0].GetProperty("encrypted_payloads")));
        Assert.Equal(["IDr", "EAP"], Strings(auth[1].GetProperty("encrypted_payloads")));
        Assert.Contains(auth, a => a.GetProperty("eap").ValueKind == JsonValueKind.Object && a.GetProperty("eap").GetProperty("type_name").GetString() == "EAP-TLS");
        Assert.Equal("success", auth[^3].GetProperty("eap").GetProperty("code").GetString());
        Assert.Equal(["AUTH"], Strings(auth[^2].GetProperty("encrypted_payloads")));

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.True(sa.GetProperty("eap_only").GetBoolean());
        Assert.Equal("EAP-TLS", sa.GetProperty("eap_type").GetString());
        Assert.Equal("EAP", sa.GetProperty("auth_method").GetString());
        Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
    }

    [Fact]
    public void PskScenarios_EapOnlyOfferedButNotUsed_EapOnlyFalse()
    {
        // charon offers EAP_ONLY_AUTHENTICATION in every IKE_AUTH request; an offer alone is not EAP-only.
        IkeReplay.Result run = Replay("ss-ipv6");

        Assert.Contains(IkeMessages(run), i => Strings(i.GetProperty("encrypted_notify")).Contains("EAP_ONLY_AUTHENTICATION"));
        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.False(sa.GetProperty("eap_only").GetBoolean());
        Assert.Equal("Shared Key Message Integrity Code", sa.GetProperty("auth_method").GetString());
    }

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void Fragmentation_IkeAuthInSkfFragments_ReassembledAndDecryptedOnTheLast()
    {
        IkeReplay.Result run = Replay("ss-fragmentation");

        List<JsonElement> auth = IkeMessages(run).Where(i => i.GetProperty("exchange").GetString() == "IKE_AUTH").ToList();
        Assert.All(auth, a => Assert.Equal(["SKF"], Strings(a.GetProperty("payloads"))));
        foreach (bool response in new[] { false, true })
        {
            List<JsonElement> fragments = auth.Where(a => a.GetProperty("response").GetBoolean() == response).ToList();
            Assert.True(fragments.Count >= 3, $"{fragments.Count} fragments");
            Assert.All(fragments, f => Assert.Equal(1u, f.GetProperty("message_id").GetUInt32()));
            Assert.All(fragments[..^1], f => Assert.False(f.GetProperty("decrypted").GetBoolean()));
            Assert.All(fragments[..^1], f => Assert.DoesNotContain("integrity_failed", Strings(f.GetProperty("events"))));
            JsonElement last = fragments[^1];
            Assert.True(last.GetProperty("decrypted").GetBoolean());
            Assert.Contains("fragment_reassembled", Strings(last.GetProperty("events")));
            string[] inner = Strings(last.GetProperty("encrypted_payloads"));
            Assert.Equal(response ? "IDr" : "IDi", inner[0]);
            Assert.Contains("CERT", inner);
            Assert.Contains("AUTH", inner);
            Assert.Contains("SA", inner);
        }
        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.Equal(auth.Count, sa.GetProperty("fragments").GetInt32());
        Assert.Equal("Digital Signature", sa.GetProperty("auth_method").GetString());
        Assert.Equal("Digital Signature", sa.GetProperty("responder_auth_method").GetString());
        Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
        Assert.Equal(24, sa.GetProperty("child_sas")[0].GetProperty("icv_len").GetInt32());
    }

    [Fact]
    [Trait("rfc", "7296-3.15")]
    public void Ipv6_SaBetweenIpv6Peers_Ipv6AddressesAndSelectors()
    {
        IkeReplay.Result run = Replay("ss-ipv6");

        Assert.All(run.OfType("ike"), r => Assert.StartsWith("fd00:18::", r.GetProperty("src_ip").GetString(), StringComparison.Ordinal));
        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.Equal("fd00:18::1", sa.GetProperty("initiator").GetString());
        Assert.Equal("fd00:18::2", sa.GetProperty("responder").GetString());
        JsonElement child = Assert.Single(sa.GetProperty("child_sas").EnumerateArray());
        Assert.Equal(["fd00:19:1::1-fd00:19:1::1 0/0-65535"], Strings(child.GetProperty("ts_i")));
        Assert.Equal(["fd00:19:2::1-fd00:19:2::1 0/0-65535"], Strings(child.GetProperty("ts_r")));
        Assert.Equal("AUTH_HMAC_SHA2_512_256", child.GetProperty("integrity").GetString());
        Assert.All(EspFlows(run), f => Assert.Contains(':', f.GetProperty("src_ip").GetString()!));
        Assert.All(EspFlows(run), f => Assert.Equal(32, f.GetProperty("esp").GetProperty("icv_len").GetInt32()));
    }

    [Fact]
    [Trait("rfc", "7296-2.23")]
    public void NatT_ClientBehindMasquerade_NatShownInNatDetectionAndIkeFloatsTo4500()
    {
        IkeReplay.Result run = Replay("ss-nat-t");
        Assert.True(Truth("ss-nat-t", "ike").Single().GetProperty("local_behind_nat").GetBoolean());

        // On the wire (RFC 7296 §2.23): the gateway hashed the translated address it saw, which is not the client's own
        // (10.1.0.2), so the client found itself behind a NAT (truth.jsonl, from charon's log). The client's source hash
        // is random: kernel-libipsec makes charon fake a NAT to force UDP encapsulation.
        (ulong spiI, ulong spiR, byte[] requestSource, byte[] responseDestination) = NatDetection(RepositoryPaths.Capture("synthetic/ike/ss-nat-t/capture.pcap"));
        Assert.Equal(NatHash(spiI, spiR, IPAddress.Parse("198.18.0.1"), 500), responseDestination);
        Assert.NotEqual(NatHash(spiI, spiR, IPAddress.Parse("10.1.0.2"), 500), responseDestination);
        Assert.NotEqual(NatHash(spiI, 0, IPAddress.Parse("198.18.0.1"), 500), requestSource);

        JsonElement sa = Assert.Single(run.IkeSas);
        Assert.Equal("198.18.0.1", sa.GetProperty("initiator").GetString());
        List<JsonElement> records = run.OfType("ike").ToList();
        Assert.All(records.Where(r => r.GetProperty("ike").GetProperty("exchange").GetString() == "IKE_SA_INIT"), r =>
        {
            Assert.Equal(500, r.GetProperty("src_port").GetInt32());
            Assert.Equal(500, r.GetProperty("dest_port").GetInt32());
        });
        List<JsonElement> floated = records.Where(r => r.GetProperty("ike").GetProperty("exchange").GetString() != "IKE_SA_INIT").ToList();
        Assert.Equal(4, floated.Count);
        Assert.All(floated, r =>
        {
            Assert.Equal(4500, r.GetProperty("src_port").GetInt32());
            Assert.Equal(4500, r.GetProperty("dest_port").GetInt32());
        });
        Assert.All(EspFlows(run), f => Assert.Equal("udp", f.GetProperty("esp").GetProperty("encap").GetString()));
        Assert.Equal(2, EspFlows(run).Count);
    }

    private static byte[] NatHash(ulong spiI, ulong spiR, IPAddress address, ushort port)
    {
        byte[] ip = address.GetAddressBytes();
        byte[] input = new byte[16 + ip.Length + 2];
        BinaryPrimitives.WriteUInt64BigEndian(input, spiI);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(8), spiR);
        ip.CopyTo(input, 16);
        BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(16 + ip.Length), port);
        return SHA1.HashData(input);
    }

    /// <summary>The SPIs, the NAT_DETECTION_SOURCE_IP data of the IKE_SA_INIT request and the
    /// NAT_DETECTION_DESTINATION_IP data of its response.</summary>
    private static (ulong SpiI, ulong SpiR, byte[] RequestSource, byte[] ResponseDestination) NatDetection(string capture)
    {
        ulong spiI = 0, spiR = 0;
        byte[] source = [], destination = [];
        using CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(capture));
        while (reader.TryReadNext(out CaptureRecord record))
        {
            var meta = default(PacketMeta);
            PacketDecoder.Decode(record.Data, record.LinkType, record.OriginalLength, ref meta);
            if (meta.Kind != PayloadKind.Ike || !IkeHeader.TryRead(record.Data.Slice(meta.IkeOffset, meta.IkeLength), out IkeHeader header)
                || header.ExchangeType != IkeExchangeType.IkeSaInit)
            {
                continue;
            }
            bool response = header.ResponderSpi != 0;
            IkePayloadReader payloads = IkePayloadReader.ForMessage(header);
            while (payloads.TryReadNext(out IkePayload payload))
            {
                if (payload.Type != IkePayloadType.Notify || !IkeNotifyPayload.TryRead(payload.Body, out IkeNotifyPayload notify))
                {
                    continue;
                }
                if (!response && notify.NotifyType == IkeNotifyType.NatDetectionSourceIp)
                {
                    spiI = header.InitiatorSpi;
                    source = notify.Data.ToArray();
                }
                else if (response && notify.NotifyType == IkeNotifyType.NatDetectionDestinationIp)
                {
                    spiR = header.ResponderSpi;
                    destination = notify.Data.ToArray();
                }
            }
        }
        return (spiI, spiR, source, destination);
    }
}
