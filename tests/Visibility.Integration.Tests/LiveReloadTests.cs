using System.Globalization;
using System.Text.Json;
using Visibility.Integration.Tests.Infrastructure;

namespace Visibility.Integration.Tests;

/// <summary>SIGHUP in <c>visibility live</c>: the rule file is compiled again and swapped in on every worker while
/// capture goes on; a broken file leaves the rules in force and says why.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LiveReloadTests : IDisposable
{
    private const int UdpCount = 10;
    private const string OldRule = "alert udp any any -> any 9999 (msg:\"before reload\"; sid:9100001; rev:1;)\n";
    private const string NewRule = "alert udp any any -> any 9999 (msg:\"after reload\"; sid:9100002; rev:1;)\n";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-reload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap)]
    public void Live_SighupAfterRuleFileRewrite_NewRuleAlertsOnEveryWorker()
    {
        List<JsonElement> alerts = RunWithReload(NewRule, workers: 2, "rules reloaded: 1 rules", out string stderr);
        Assert.Equal(UdpCount, alerts.Count(a => Sid(a) == 9100002));
        Assert.DoesNotContain(alerts, a => Sid(a) == 9100001);
        Assert.DoesNotContain("error", stderr, StringComparison.Ordinal);
    }

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap)]
    public void Live_SighupWithBrokenRuleFile_OldRulesStayAndTheErrorIsPrinted()
    {
        const string broken = "alert udp any any -> any 9999 (msg:\"broken\"; nosuch:1; sid:9100003; rev:1;)\n";
        List<JsonElement> alerts = RunWithReload(broken, workers: 1, "rules reload refused, the old rules stay", out string stderr);
        Assert.Equal(UdpCount, alerts.Count(a => Sid(a) == 9100001));
        Assert.DoesNotContain(alerts, a => Sid(a) == 9100003);
        Assert.Contains("nosuch", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("rules reloaded", stderr, StringComparison.Ordinal);
    }

    private static uint Sid(JsonElement alert) => alert.GetProperty("alert").GetProperty("signature_id").GetUInt32();

    /// <summary>Starts live with <see cref="OldRule"/>, rewrites the file with <paramref name="rules"/>, sends SIGHUP,
    /// waits for <paramref name="expected"/> on stderr, then sends traffic and stops; returns the alerts.</summary>
    private List<JsonElement> RunWithReload(string rules, int workers, string expected, out string stderr)
    {
        using NetworkNamespacePair net = NetworkNamespacePair.Create();
        string eve = Path.Combine(_dir, "eve.json");
        string ruleFile = Path.Combine(_dir, "local.rules");
        File.WriteAllText(ruleFile, OldRule);
        using SensorProcess sensor = SensorProcess.Start(
            ["live", "-i", net.SensorInterface, "--bpf", "net 192.0.2.0/24", "--eve", eve, "--rules", ruleFile,
                "--workers", workers.ToString(CultureInfo.InvariantCulture)],
            net.SensorNamespace);
        Assert.True(sensor.WaitForError("capturing on", s_timeout), "sensor did not start: " + sensor.StandardError);

        File.WriteAllText(ruleFile, rules);
        sensor.Signal("HUP");
        Assert.True(sensor.WaitForError(expected, s_timeout), "no reload line: " + sensor.StandardError);

        (int code, string output) = Prerequisites.Run("ip", "netns", "exec", net.PeerNamespace, Prerequisites.Python,
            RepositoryPaths.Script("send_traffic.py"), RepositoryPaths.IpsecCapture, net.PeerInterface, net.PeerMac, net.SensorMac,
            UdpCount.ToString(CultureInfo.InvariantCulture), "1");
        Assert.True(code == 0, "scapy failed: " + output);
        // Give the capture a moment to read every frame before stopping.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        sensor.Signal("TERM");
        Assert.Equal(0, sensor.WaitForExit(s_timeout));
        stderr = sensor.StandardError;
        return EveFile.Read(eve).OfType("alert").ToList();
    }
}
