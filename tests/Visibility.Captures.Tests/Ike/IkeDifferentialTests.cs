using System.Text.Json;
using Visibility.Wire.Ike;

namespace Visibility.Captures.Tests.Ike;

/// <summary>Differential test against tshark's isakmp dissector with the same keys: for every IKE message of every
/// capture, the <c>ike</c> record agrees on exchange, flags, message ID, clear payloads and notify types, and on what
/// was decrypted (inner payloads and notify types; a failed ICV is "not decrypted" on both sides). The oracle is
/// recorded by Oracle/record_ike.sh.</summary>
public sealed class IkeDifferentialTests
{
    private static readonly string s_oracle = Path.Combine(RepositoryPaths.Root, "tests", "Visibility.Captures.Tests", "Ike", "Oracle");

    public static TheoryData<string> Captures() => new(
        Directory.EnumerateFiles(s_oracle, "*.ike.jsonl", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(s_oracle, f).Replace('\\', '/')[..^".ike.jsonl".Length])
            .Order(StringComparer.Ordinal));

    /// <summary>The keys tshark was given for a capture (see record_ike.py).</summary>
    private static string? Keys(string capture, List<string> cleanup)
    {
        string folder = Path.GetDirectoryName(capture)!.Replace('\\', '/');
        if (capture.StartsWith("synthetic/", StringComparison.Ordinal) && File.Exists(RepositoryPaths.Capture(folder + "/ikev2_decryption_table")))
        {
            return folder;
        }
        if (Path.GetFileName(capture) == "tcpdump__tests__ikev2pI2.pcap")
        {
            string file = Path.Combine(Path.GetTempPath(), "visibility-diff-keys-" + Guid.NewGuid().ToString("N"));
            File.WriteAllLines(file, TcpdumpSecrets.ToWiresharkRows(RepositoryPaths.Capture("public/tcpdump__tests__ikev2pI2-secrets.txt")));
            cleanup.Add(file);
            return file;
        }
        return null;
    }

    private static string[] Names(JsonElement numbers, Func<int, string> name) =>
        numbers.EnumerateArray().Select(n => name(n.GetInt32())).ToArray();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveryIkeMessage_AgreesWithTshark(string capture)
    {
        var cleanup = new List<string>();
        try
        {
            IkeReplay.Result run = IkeReplay.Run(capture, Keys(capture, cleanup));
            List<JsonElement> oracle = File.ReadLines(Path.Combine(s_oracle, capture + ".ike.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Dictionary<long, JsonElement> ours = run.IkeByFrame;
            var anomalies = run.OfType("anomaly").Select(a => a.GetProperty("pcap_cnt").GetInt64()).ToHashSet();
            Assert.Equal(oracle.Select(o => o.GetProperty("frame").GetInt64()).Order(), ours.Keys.Order());
            foreach (JsonElement expected in oracle)
            {
                long frame = expected.GetProperty("frame").GetInt64();
                string at = $"{capture} frame {frame}";
                JsonElement ike = ours[frame].GetProperty("ike");
                Assert.True(expected.GetProperty("version").GetInt32() >> 4 == ike.GetProperty("version").GetInt32(), at);
                Assert.True(expected.GetProperty("exchange").GetInt32() == ike.GetProperty("exchange_type").GetInt32(), at);
                Assert.True(expected.GetProperty("message_id").GetUInt32() == ike.GetProperty("message_id").GetUInt32(), at);
                if (ike.GetProperty("version").GetInt32() != 2)
                {
                    continue;
                }
                int flags = expected.GetProperty("flags").GetInt32();
                Assert.True((flags & 0x08) != 0 == ike.GetProperty("initiator").GetBoolean(), at + ": I flag");
                Assert.True((flags & 0x20) != 0 == ike.GetProperty("response").GetBoolean(), at + ": R flag");
                string[] payloads = Names(expected.GetProperty("payloads"), n => IkeNames.GetName((IkePayloadType)n));
                string[] notify = Names(expected.GetProperty("notify"), n => IkeNames.GetName((IkeNotifyType)n));
                if (expected.GetProperty("malformed").GetBoolean())
                {
                    // tshark stops at the damage; the sensor reports an anomaly and agrees on what came before.
                    Assert.True(anomalies.Contains(frame), at + ": malformed for tshark, no anomaly here");
                    Assert.Equal(payloads, Strings(ike.GetProperty("payloads")).Take(payloads.Length));
                    continue;
                }
                Assert.Equal(payloads, Strings(ike.GetProperty("payloads")));
                Assert.Equal(notify, Strings(ike.GetProperty("notify")));
                JsonElement decrypted = expected.GetProperty("decrypted");
                if (decrypted.ValueKind == JsonValueKind.Null)
                {
                    bool encrypted = payloads.Contains("SK") || payloads.Contains("SKF");
                    Assert.True(encrypted ? ike.GetProperty("decrypted").ValueKind == JsonValueKind.False : ike.GetProperty("decrypted").ValueKind == JsonValueKind.Null, at);
                    continue;
                }
                if (decrypted.GetProperty("icd").GetString() == "incorrect")
                {
                    Assert.False(ike.GetProperty("decrypted").GetBoolean(), at + ": ICV fails for tshark");
                    continue;
                }
                if (payloads is ["SKF"])
                {
                    // tshark 4.0 verifies and decrypts each IKE fragment (RFC 7383 §2.5) but does not reassemble them; the
                    // sensor reports the message on the fragment that completes it and the others as still pending.
                    Assert.DoesNotContain("integrity_failed", Strings(ike.GetProperty("events")));
                    if (ike.GetProperty("decrypted").GetBoolean())
                    {
                        Assert.Contains("fragment_reassembled", Strings(ike.GetProperty("events")));
                        Assert.NotEmpty(Strings(ike.GetProperty("encrypted_payloads")));
                    }
                    continue;
                }
                Assert.True(ike.GetProperty("decrypted").GetBoolean(), at + ": tshark decrypted it");
                Assert.Equal(Names(decrypted.GetProperty("payloads"), n => IkeNames.GetName((IkePayloadType)n)), Strings(ike.GetProperty("encrypted_payloads")));
                Assert.Equal(Names(decrypted.GetProperty("notify"), n => IkeNames.GetName((IkeNotifyType)n)), Strings(ike.GetProperty("encrypted_notify")));
            }
        }
        finally
        {
            cleanup.ForEach(File.Delete);
        }
    }

    [Fact]
    public void Oracle_CoversDecryptionAndIpFragments()
    {
        string ipsecClient = File.ReadAllText(Path.Combine(s_oracle, "public", "zeek-spicy-ipsec__tests__traces__ipsec_client.pcap.ike.jsonl"));
        Assert.Contains("\"frame\":11", ipsecClient, StringComparison.Ordinal);
        int decrypted = Directory.EnumerateFiles(s_oracle, "*.ike.jsonl", SearchOption.AllDirectories)
            .Sum(f => File.ReadLines(f).Count(l => l.Contains("\"icd\":\"correct\"", StringComparison.Ordinal)));
        Assert.True(decrypted >= 24, $"only {decrypted} decrypted messages in the oracle");
    }
}
