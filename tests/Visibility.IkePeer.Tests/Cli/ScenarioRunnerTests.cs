using Visibility.IkePeer.Cli;
using Visibility.IkePeer.Tests.Interop;

namespace Visibility.IkePeer.Tests.Cli;

public sealed class ScenarioRunnerTests
{
    public static TheoryData<string> Names => [.. Scenario.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task RunAsync_EachScenario_WritesCaptureAndKeys(string name)
    {
        var directory = Directory.CreateTempSubdirectory("peer-scenario-");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await PeerRunner.RunAsync(["scenario", name, "--out", directory.FullName, "--send-ping", "2"], output, error, CancellationToken.None);

            Assert.True(code == 0, error.ToString());
            Assert.Contains("2 transmitted, 2 received", output.ToString(), StringComparison.Ordinal);
            var capture = await File.ReadAllBytesAsync(Path.Combine(directory.FullName, "capture.pcap"));
            Assert.Equal(0xa1b2c3d4u, BitConverter.ToUInt32(capture, 0));
            Assert.Equal(101u, BitConverter.ToUInt32(capture, 20));                     // LINKTYPE_RAW
            // IKE_SA_INIT pair (plus a COOKIE or INVALID_KE round), IKE_AUTH pair, 2 x 2 ESP, 2 INFORMATIONAL pairs.
            var expected = 2 + 2 + 4 + 4 + (name is "cookie" or "invalid-ke" ? 2 : 0);
            Assert.Equal(expected, CountRecords(capture));
            Assert.Single(await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "ikev2_decryption_table")));
            Assert.Equal(2, (await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "esp_sa"))).Length);
            await AssertTsharkDecryptsAsync(directory.FullName);
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
        Assert.Contains("null-sha256", error.ToString(), StringComparison.Ordinal);
    }

    private static int CountRecords(byte[] capture)
    {
        var count = 0;
        for (var offset = 24; offset + 16 <= capture.Length; offset += 16 + (int)BitConverter.ToUInt32(capture, offset + 8))
        {
            count++;
        }

        return count;
    }

    /// <summary>With tshark present, the exported keys must let it decrypt IKE_AUTH and every ESP packet (an independent
    /// check of the Wireshark key formats).</summary>
    private static async Task AssertTsharkDecryptsAsync(string directory)
    {
        if (!File.Exists("/usr/bin/tshark"))
        {
            return;
        }

        var ike = (await File.ReadAllLinesAsync(Path.Combine(directory, "ikev2_decryption_table"))).Single();
        var esp = await File.ReadAllLinesAsync(Path.Combine(directory, "esp_sa"));
        var result = await ChildProcess.RunAsync("/usr/bin/tshark", [
            "-r", Path.Combine(directory, "capture.pcap"), "-o", $"uat:ikev2_decryption_table:{ike}", "-o", "esp.enable_encryption_decode:TRUE",
            "-o", $"uat:esp_sa:{esp[0]}", "-o", $"uat:esp_sa:{esp[1]}", "-V"], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Identification Data:initiator.test", result.Output, StringComparison.Ordinal);
        Assert.Contains("Identification Data:responder.test", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(result.Output, "Type: 8 (Echo (ping) request)"));
        Assert.Equal(2, CountOf(result.Output, "Type: 0 (Echo (ping) reply)"));
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
