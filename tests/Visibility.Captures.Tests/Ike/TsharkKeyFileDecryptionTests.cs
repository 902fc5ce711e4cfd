using System.Text.Json;
using Visibility.Wire.Ike;

namespace Visibility.Captures.Tests.Ike;

/// <summary>The key files exported beside every generated IKE capture decrypt it in tshark too: tshark, given the rows
/// of <c>ikev2_decryption_table</c> and <c>esp_sa</c>, verifies each SK payload's integrity checksum and sees the same
/// inner payloads and notify types as the sensor, and authenticates and opens every ESP-NULL packet (the inner ICMP
/// echo). tshark runs now, not from a recorded oracle, so the key files themselves are what is checked.</summary>
public sealed class TsharkKeyFileDecryptionTests
{
    public static TheoryData<string> KeyedCaptures() => new(
        new[] { "synthetic/ike", "synthetic/peer" }
            .SelectMany(d => Directory.EnumerateDirectories(RepositoryPaths.Capture(d)))
            .Where(d => File.Exists(Path.Combine(d, "ikev2_decryption_table")) && File.Exists(Path.Combine(d, "capture.pcap")))
            .Select(d => Path.GetRelativePath(RepositoryPaths.Capture(""), d).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    private static string[] Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];

    [RequiresTsharkTheory]
    [Trait("rfc", "7296-3.14")]
    [MemberData(nameof(KeyedCaptures))]
    public void KeyFiles_TsharkDecryptsEveryMessageAndEspPacket_SameInnerPayloads(string folder)
    {
        IkeReplay.Result run = IkeReplay.Run(folder + "/capture.pcap", folder);
        Dictionary<long, JsonElement> ours = run.IkeByFrame;
        List<Tshark.Row> rows = Tshark.Fields(RepositoryPaths.Capture(folder + "/capture.pcap"), RepositoryPaths.Capture(folder),
            "isakmp.typepayload", "isakmp.notify.msgtype", "isakmp.enc.decrypted", "_ws.expert.message", "esp.spi", "esp.icv_good", "icmp.type", "icmpv6.type");
        HashSet<uint> wespSpis = run.OfType("flow").Where(f => f.TryGetProperty("esp", out JsonElement e) && e.GetProperty("encap").GetString()!.StartsWith("wesp", StringComparison.Ordinal))
            .Select(f => f.GetProperty("esp").GetProperty("spi").GetUInt32()).ToHashSet();
        // Wireshark 4.0's ESP SA table has no ENCR_NULL_AUTH_AES_GMAC (RFC 4543), so the peer exports no esp_sa rows for
        // such Child SAs (sa.jsonl only): tshark cannot verify their ICV. The sensor learns the transform from IKE_AUTH.
        HashSet<uint> gmacSpis = run.IkeSas.SelectMany(s => s.GetProperty("child_sas").EnumerateArray())
            .Where(c => c.GetProperty("encryption").GetString() == "ENCR_NULL_AUTH_AES_GMAC")
            .SelectMany(c => new[] { c.GetProperty("initiator_spi").GetUInt32(), c.GetProperty("responder_spi").GetUInt32() }).ToHashSet();

        int decrypted = 0;
        int espOpened = 0;
        foreach (Tshark.Row row in rows)
        {
            string at = $"{folder} frame {row.Frame}";
            string[] types = row.Fields[0];
            if (types.Length > 0)
            {
                JsonElement ike = ours[row.Frame].GetProperty("ike");
                if (Strings(ike.GetProperty("payloads")) is ["SKF"])
                {
                    // Each IKE fragment is protected on its own (RFC 7383 §2.5): tshark verifies every one; it does not
                    // reassemble them, the sensor does and reports the message on the last (IkeDifferentialTests).
                    Assert.True(row.Fields[2].Length > 0, at + ": tshark did not decrypt the fragment");
                    Assert.DoesNotContain(row.Fields[3], m => m.Contains("Integrity Checksum Data is incorrect", StringComparison.Ordinal));
                    decrypted += ike.GetProperty("decrypted").GetBoolean() ? 1 : 0;
                    continue;
                }
                if (ike.GetProperty("decrypted").ValueKind != JsonValueKind.True)
                {
                    Assert.True(row.Fields[2].Length == 0, at + ": tshark decrypted what the sensor did not");
                    continue;
                }
                Assert.True(row.Fields[2].Length > 0, at + ": tshark did not decrypt");
                Assert.DoesNotContain(row.Fields[3], m => m.Contains("Integrity Checksum Data is incorrect", StringComparison.Ordinal));
                // Proposal (2) and Transform (3) substructures are payload types to tshark but not payloads of the message.
                string[] tsharkPayloads = types.Select(int.Parse).Where(t => t is not 2 and not 3).Select(t => IkeNames.GetName((IkePayloadType)t)).ToArray();
                Assert.Equal([.. Strings(ike.GetProperty("payloads")), .. Strings(ike.GetProperty("encrypted_payloads"))], tsharkPayloads);
                string[] tsharkNotify = row.Fields[1].Select(n => IkeNames.GetName((IkeNotifyType)int.Parse(n))).ToArray();
                Assert.Equal([.. Strings(ike.GetProperty("notify")), .. Strings(ike.GetProperty("encrypted_notify"))], tsharkNotify);
                decrypted++;
            }
            else if (row.Fields[4].Length > 0)
            {
                uint spi = Convert.ToUInt32(row.Fields[4][0], 16);
                if (wespSpis.Count > 0 && !wespSpis.Contains(spi))
                {
                    // tshark 4.0 reads WESP in UDP as ESP whose SPI is the WESP identifier 2: it cannot open these.
                    Assert.Equal(2u, spi);
                    continue;
                }
                if (gmacSpis.Contains(spi))
                {
                    Assert.True(row.Fields[5].Length == 0, at + ": tshark verified a GMAC ICV without esp_sa rows");
                    continue;
                }
                Assert.True(row.Fields[5] is ["1"], at + ": ICV not verified by tshark");
                string[] inner = [.. row.Fields[6], .. row.Fields[7]];
                bool encrypted = run.OfType("flow").Any(f => f.TryGetProperty("esp", out JsonElement e) && e.GetProperty("spi").GetUInt32() == spi && e.GetProperty("verdict").GetString() == "encrypted");
                Assert.True(inner.Length > 0, at + (encrypted ? ": tshark did not decrypt" : ": tshark did not open the ESP-NULL packet"));
                espOpened++;
            }
        }
        int protectedMessages = ours.Values.Count(r => r.GetProperty("ike").GetProperty("decrypted").ValueKind == JsonValueKind.True);
        Assert.True(protectedMessages > 0);
        Assert.Equal(protectedMessages, decrypted);
        Assert.True(espOpened > 0 || wespSpis.Count > 0 || gmacSpis.Count > 0 || !run.OfType("flow").Any(f => f.TryGetProperty("esp", out _)), folder + ": no ESP packet opened");
    }
}
