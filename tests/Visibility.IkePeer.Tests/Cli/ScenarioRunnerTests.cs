using Visibility.IkePeer.Cli;
using Visibility.IkePeer.Tests.Interop;

namespace Visibility.IkePeer.Tests.Cli;

public sealed class ScenarioRunnerTests
{
    /// <summary>Per scenario: IKE SAs and ESP SAs exported, echo requests/replies tshark decrypts with them, and a text
    /// that must appear in tshark's decoding at least so often.</summary>
    public static TheoryData<string, int, int, int, string, int> Expectations => new()
    {
        { "null-esp", 1, 2, 2, "Identification Data:initiator.test", 1 },
        { "aes128gcm16", 1, 2, 2, "Identification Data:responder.test", 1 },
        { "aes256-sha256", 1, 2, 2, "Identification Data:responder.test", 1 },
        { "cookie", 1, 2, 2, "Notify Message Type: COOKIE (16390)", 2 },
        { "invalid-ke", 1, 2, 2, "Notify Message Type: INVALID_KE_PAYLOAD (17)", 1 },
        { "wesp", 1, 2, 0, "Notify Message Type: USE_WESP_MODE (16415)", 2 },
        { "redirect-init", 1, 2, 2, "Notify Message Type: REDIRECT (16407)", 1 },
        { "redirect-auth", 2, 2, 2, "Notify Message Type: REDIRECT (16407)", 1 },
        { "redirect-informational", 2, 4, 2, "Notify Message Type: REDIRECT (16407)", 1 },
        { "qcd-crash", 1, 2, 0, "Notify Message Type: INVALID_IKE_SPI (4)", 1 },
        { "eap-only", 1, 2, 2, "Payload: Extensible Authentication (48)", 8 },
        { "fragmentation", 1, 2, 2, "Payload: Encrypted and Authenticated Fragment (53)", 10 },
        { "rekey", 2, 4, 2, "Payload: Delete (42)", 3 },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public async Task RunAsync_EachScenario_WritesCaptureAndKeysTsharkDecrypts(string name, int ikeSas, int espSas, int echoes, string needle, int atLeast)
    {
        var directory = Directory.CreateTempSubdirectory("peer-scenario-");
        try
        {
            await RunScenarioAsync(name, directory.FullName);
            var capture = await File.ReadAllBytesAsync(Path.Combine(directory.FullName, "capture.pcap"));
            Assert.Equal(0xa1b2c3d4u, BitConverter.ToUInt32(capture, 0));
            Assert.Equal(101u, BitConverter.ToUInt32(capture, 20));                     // LINKTYPE_RAW
            var ike = await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "ikev2_decryption_table"));
            var esp = await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "esp_sa"));
            Assert.Equal(ikeSas, ike.Length);
            Assert.Equal(espSas, esp.Length);
            Assert.Equal(ikeSas + espSas, (await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "sa.jsonl"))).Length);
            if (name == "wesp")
            {
                // tshark has no WESP dissector: the 0x00000002 identifier after the UDP header marks every ESP packet.
                Assert.Equal(4, CountWesp(capture));
            }

            var decoded = await TsharkAsync(directory.FullName, ike, esp);
            if (decoded is null)
            {
                return;
            }

            Assert.Contains("Identification Data:initiator.test", decoded, StringComparison.Ordinal);
            Assert.Equal(echoes, CountOf(decoded, "Type: 8 (Echo (ping) request)"));
            Assert.Equal(echoes, CountOf(decoded, "Type: 0 (Echo (ping) reply)"));
            Assert.True(CountOf(decoded, needle) >= atLeast, $"'{needle}' {CountOf(decoded, needle)} times");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    [Trait("rfc", "4543-3")]
    public async Task RunAsync_NullGmac_EspInClearAndSaJsonSaysNull()
    {
        var directory = Directory.CreateTempSubdirectory("peer-scenario-");
        try
        {
            var output = await RunScenarioAsync("aes128gmac", directory.FullName);
            Assert.Contains("scenario null-gmac:", output, StringComparison.Ordinal);
            // Wireshark's esp_sa has no GMAC cipher: the ESP SAs are in sa.jsonl only.
            Assert.False(File.Exists(Path.Combine(directory.FullName, "esp_sa")));
            var esp = (await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "sa.jsonl")))
                .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("type").GetString() == "esp").ToList();
            Assert.Equal(2, esp.Count);
            Assert.All(esp, e =>
            {
                Assert.Equal("ENCR_NULL_AUTH_AES_GMAC_128", e.GetProperty("encryption").GetString());
                Assert.Equal("null", e.GetProperty("verdict").GetString());
                Assert.Equal(8, e.GetProperty("iv_len").GetInt32());
                Assert.Equal(16, e.GetProperty("icv_len").GetInt32());
            });

            // The inner IPv4 header (45 00 ...) of every echo sits in clear after SPI, Sequence Number and the 8-octet IV.
            var capture = await File.ReadAllBytesAsync(Path.Combine(directory.FullName, "capture.pcap"));
            Assert.Equal(4, CountClearInnerIpv4(capture, 16));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_AliasNullSha256_RunsNullEsp()
    {
        var directory = Directory.CreateTempSubdirectory("peer-scenario-");
        try
        {
            using var output = new StringWriter();
            Assert.Equal(0, await PeerRunner.RunAsync(["scenario", "null-sha256", "--out", directory.FullName, "--send-ping", "1"], output, TextWriter.Null, CancellationToken.None));
            Assert.Contains("scenario null-esp:", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_UnknownScenario_Exit1ListsScenarios()
    {
        using var error = new StringWriter();
        Assert.Equal(1, await PeerRunner.RunAsync(["scenario", "nope", "--out", "/tmp/x"], TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("redirect-informational", error.ToString(), StringComparison.Ordinal);
    }

    [RequiresRootTheory]
    [InlineData("null-esp-raw", 50, 2)]
    [InlineData("wesp-raw", 141, 0)]
    [Trait("rfc", "7296-2.23")]
    public async Task RunAsync_RawScenario_IkeOnlyOn500ChildSaAsIpProtocolTsharkDecrypts(string name, int protocol, int echoes)
    {
        var directory = Directory.CreateTempSubdirectory("peer-scenario-");
        try
        {
            await RunScenarioAsync(name, directory.FullName);
            var capture = await File.ReadAllBytesAsync(Path.Combine(directory.FullName, "capture.pcap"));
            var protocols = IpProtocols(capture);
            Assert.Equal(4, protocols.Count(p => p.Protocol == protocol));               // 2 requests, 2 replies, no UDP header
            Assert.All(protocols.Where(p => p.Protocol == 17), p => Assert.Equal((500, 500), (p.SourcePort, p.DestinationPort)));
            Assert.Equal(12, protocols.Count);
            var esp = await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "esp_sa"));
            var decoded = await TsharkAsync(directory.FullName, await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "ikev2_decryption_table")), esp);
            if (decoded is null)
            {
                return;
            }

            // tshark decrypts ESP on IP protocol 50 with the exported esp_sa rows; it has no WESP dissector.
            Assert.Equal(echoes, CountOf(decoded, "Type: 8 (Echo (ping) request)"));
            Assert.Equal(echoes, CountOf(decoded, "Type: 0 (Echo (ping) reply)"));
            Assert.Contains("Identification Data:initiator.test", decoded, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Per record (raw IPv4, 20-octet header): the IP protocol and, for UDP, the ports.</summary>
    /// <summary>Runs <c>visibility-peer scenario NAME --out DIR --send-ping 2</c> and returns what it printed; fails the
    /// test with its output when it does not succeed.</summary>
    private static async Task<string> RunScenarioAsync(string name, string directory)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PeerRunner.RunAsync(["scenario", name, "--out", directory, "--send-ping", "2"], output, error, CancellationToken.None);
        Assert.True(code == 0, $"{output}\n{error}");
        return output.ToString();
    }

    private static List<(int Protocol, int SourcePort, int DestinationPort)> IpProtocols(byte[] capture)
    {
        var records = new List<(int, int, int)>();
        for (var offset = 24; offset + 16 <= capture.Length; offset += 16 + (int)BitConverter.ToUInt32(capture, offset + 8))
        {
            var ip = offset + 16;
            var udp = ip + 20;
            var protocol = capture[ip + 9];
            records.Add(protocol == 17
                ? (protocol, capture[udp] << 8 | capture[udp + 1], capture[udp + 2] << 8 | capture[udp + 3])
                : (protocol, 0, 0));
        }

        return records;
    }

    /// <summary>UDP 4500 records (raw IPv4, 20-octet header) carrying ESP whose octet at <paramref name="espOffset"/> starts
    /// an IPv4 header carrying ICMP: tunnel-mode ESP with the inner packet in clear.</summary>
    private static int CountClearInnerIpv4(byte[] capture, int espOffset)
    {
        var count = 0;
        for (var offset = 24; offset + 16 <= capture.Length; offset += 16 + (int)BitConverter.ToUInt32(capture, offset + 8))
        {
            var udp = offset + 16 + 20;
            var esp = udp + 8;
            var inner = esp + espOffset;
            if (inner + 20 <= capture.Length && capture[udp + 2] == 0x11 && capture[udp + 3] == 0x94
                && (capture[esp] | capture[esp + 1] | capture[esp + 2] | capture[esp + 3]) != 0 && capture[inner] == 0x45 && capture[inner + 9] == 1)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Records whose UDP payload (raw IPv4, 20-octet header) starts with the WESP identifier 0x00000002.</summary>
    private static int CountWesp(byte[] capture)
    {
        var count = 0;
        for (var offset = 24; offset + 16 <= capture.Length; offset += 16 + (int)BitConverter.ToUInt32(capture, offset + 8))
        {
            var payload = offset + 16 + 20 + 8;
            if (payload + 4 <= capture.Length && capture[payload] == 0 && capture[payload + 1] == 0 && capture[payload + 2] == 0 && capture[payload + 3] == 2)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>tshark's full decoding with every exported key (an independent check of the key formats), or null
    /// without tshark.</summary>
    private static async Task<string?> TsharkAsync(string directory, string[] ike, string[] esp)
    {
        if (!File.Exists("/usr/bin/tshark"))
        {
            return null;
        }

        var args = new List<string> { "-r", Path.Combine(directory, "capture.pcap"), "-o", "esp.enable_encryption_decode:TRUE", "-V" };
        foreach (var row in ike)
        {
            args.AddRange(["-o", $"uat:ikev2_decryption_table:{row}"]);
        }

        foreach (var row in esp)
        {
            args.AddRange(["-o", $"uat:esp_sa:{row}"]);
        }

        var result = await ChildProcess.RunAsync("/usr/bin/tshark", args, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output;
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
