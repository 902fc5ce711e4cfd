using System.Text.Json;
using Visibility.Integration.Tests.Infrastructure;

namespace Visibility.Integration.Tests;

/// <summary><c>visibility run</c> with <c>Rules:Path</c> and <c>Plugins:Path</c>: rules reload when their file
/// changes (debounced), a broken file leaves the rules in force and says why, plugins load from a folder.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RulesWatchTests : IDisposable
{
    private const int UdpCount = 25;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-watch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Run_RuleFileChangedThenBroken_ReloadsThenKeepsTheRulesInForce()
    {
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "alert udp any any -> any 9998 (msg:\"one\"; sid:1001;)\n");
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } },
            Rules = new { Path = rules, WatchDelayMilliseconds = 200 },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.True(service.WaitForError("running until stopped", s_wait), "service did not finish the files: " + service.StandardError);

        File.WriteAllText(rules, "alert udp any any -> any 9998 (msg:\"one\"; sid:1001;)\nalert udp any any -> any 9999 (msg:\"two\"; sid:1002;)\n");
        Assert.True(service.WaitForError($"rules reloaded: 2 rules, 0 plugin inspector(s) from {rules}", s_wait), "no reload: " + service.StandardError);
        Assert.Contains($"rules changed on disk ({rules}): reloading", service.StandardError, StringComparison.Ordinal);

        File.WriteAllText(rules, "alert udp any any -> any 9999 (msg:\"broken\"; sid:1003; nosuchkeyword;)\n");
        Assert.True(service.WaitForError("Rules:Path: reload refused, the rules in force stay: " + rules + ":1:", s_wait), "no refusal: " + service.StandardError);
        Assert.False(service.HasExited);

        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));
        // One reload per save: the quiet period folds the events of one write together.
        Assert.Equal(1, Count(service.StandardError, "rules reloaded:"));
        Assert.Equal(1, Count(service.StandardError, "reload refused"));
    }

    [Fact]
    public void Run_WatchDelayZero_NoReloadOnChange()
    {
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "alert udp any any -> any 9998 (msg:\"one\"; sid:1001;)\n");
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } },
            Rules = new { Path = rules, WatchDelayMilliseconds = 0 },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.True(service.WaitForError("running until stopped", s_wait), "service did not finish the files: " + service.StandardError);
        File.WriteAllText(rules, "alert udp any any -> any 9999 (msg:\"two\"; sid:1002;)\n");
        Thread.Sleep(1500);
        Assert.DoesNotContain("rules reloaded", service.StandardError, StringComparison.Ordinal);
        service.Signal("HUP");
        Assert.True(service.WaitForError($"rules reloaded: 1 rules, 0 plugin inspector(s) from {rules}", s_wait), "SIGHUP did not reload: " + service.StandardError);
        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));
    }

    [Fact]
    public void Run_PluginsPath_PluginAlertsGoToEve()
    {
        string plugins = PluginsFolder();
        string eve = Path.Combine(_dir, "eve.json");
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { Path.Combine(RepositoryPaths.Root, "captures", "synthetic", "rules", "esp-null.pcap") } },
            Eve = new { Path = eve },
            Plugins = new { Path = plugins },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.True(service.WaitForError("running until stopped", s_wait), "service did not finish the files: " + service.StandardError);
        Assert.Contains($"plugins loaded: 1 inspector(s) from 1 assembly(ies) in {plugins}", service.StandardError, StringComparison.Ordinal);
        service.Signal("HUP");
        Assert.True(service.WaitForError($"rules reloaded: 0 rules, 1 plugin inspector(s) from {plugins}", s_wait), "SIGHUP did not reload the plugins: " + service.StandardError);
        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));

        JsonElement alert = Assert.Single(EveFile.Read(eve).OfType("alert"));
        Assert.Equal(2290001u, alert.GetProperty("alert").GetProperty("signature_id").GetUInt32());
        Assert.Equal(4, alert.GetProperty("pcap_cnt").GetInt64());
    }

    [Fact]
    public void Run_BrokenPlugin_FailsAtStartNamingTheFile()
    {
        string plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        File.WriteAllText(Path.Combine(plugins, "Broken.dll"), "not a PE file");
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } },
            Plugins = new { Path = plugins },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.Equal(2, service.WaitForExit(s_wait));
        Assert.Contains($"Plugins:Path: plugin refused: {Path.Combine(plugins, "Broken.dll")}: not a .NET assembly", service.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PluginsPathNotAFolder_FailsFastNamingTheKey()
    {
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } },
            Plugins = new { Path = Path.Combine(_dir, "absent") },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.Equal(1, service.WaitForExit(s_wait));
        Assert.StartsWith("visibility: error: config: Plugins:Path: no such directory", service.StandardError.Trim(), StringComparison.Ordinal);
    }

    [RequiresFact(Prerequisite.Root | Prerequisite.NetworkNamespaces | Prerequisite.Scapy | Prerequisite.Libpcap)]
    public void Run_LiveRuleFileChanged_NewRuleFiresOnLaterTraffic()
    {
        using NetworkNamespacePair net = NetworkNamespacePair.Create();
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "alert udp any any -> any 9998 (msg:\"before\"; sid:1001;)\n");
        string eve = Path.Combine(_dir, "eve.json");
        string config = WriteConfig(new
        {
            Visibility = new { Interfaces = new[] { net.SensorInterface }, Bpf = "net 192.0.2.0/24" },
            Eve = new { Path = eve },
            Rules = new { Path = rules },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config], net.SensorNamespace);
        Assert.True(service.WaitForError("capturing on", s_wait), "service did not start: " + service.StandardError);

        File.WriteAllText(rules, "alert udp any any -> any 9999 (msg:\"after\"; sid:1002;)\n");
        Assert.True(service.WaitForError("rules reloaded: 1 rules", s_wait), "no reload: " + service.StandardError);

        (int code, string output) = Prerequisites.Run("ip", "netns", "exec", net.PeerNamespace, Prerequisites.Python,
            RepositoryPaths.Script("send_traffic.py"), RepositoryPaths.IpsecCapture, net.PeerInterface, net.PeerMac, net.SensorMac,
            UdpCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "1");
        Assert.True(code == 0, "scapy failed: " + output);
        // SIGTERM drains what the kernel captured; give the frames a moment to reach the socket.
        Thread.Sleep(1000);
        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));

        List<JsonElement> alerts = EveFile.Read(eve).OfType("alert").ToList();
        Assert.Equal(UdpCount, alerts.Count(a => a.GetProperty("alert").GetProperty("signature_id").GetUInt32() == 1002));
        Assert.DoesNotContain(alerts, a => a.GetProperty("alert").GetProperty("signature_id").GetUInt32() == 1001);
    }

    private static int Count(string text, string value)
    {
        int n = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    private string PluginsFolder()
    {
        string plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Visibility.Plugins.Example.dll"), Path.Combine(plugins, "Visibility.Plugins.Example.dll"));
        return plugins;
    }

    private string WriteConfig(object config)
    {
        string path = Path.Combine(_dir, "visibility.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }
}
