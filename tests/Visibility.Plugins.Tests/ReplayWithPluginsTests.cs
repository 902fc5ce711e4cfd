using System.Diagnostics;
using System.Text.Json;

namespace Visibility.Plugins.Tests;

/// <summary><c>visibility replay CAPTURE --plugins DIR --eve -</c> as a child process, with the example plugin
/// copied into a fresh folder.</summary>
public sealed class ReplayWithPluginsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-plugins-e2e-").FullName;

    public ReplayWithPluginsTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "plugins"));
        File.Copy(RepositoryPaths.Built("Visibility.Plugins.Example.dll"), Path.Combine(_dir, "plugins", "Visibility.Plugins.Example.dll"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Exit, string Stdout, string Stderr) Replay(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No ./rules here: only what the arguments name is loaded.
            WorkingDirectory = _dir,
        };
        // The CLI copied beside the tests, with this assembly's runtime configuration and dependencies (which include
        // the CLI's): a Release build of the CLI is self-contained, and its own runtimeconfig.json names no framework.
        string tests = RepositoryPaths.Built(typeof(ReplayWithPluginsTests).Assembly.GetName().Name!);
        foreach (string arg in (string[])["exec", "--runtimeconfig", tests + ".runtimeconfig.json", "--depsfile", tests + ".deps.json"])
        {
            info.ArgumentList.Add(arg);
        }
        info.ArgumentList.Add(RepositoryPaths.Built("visibility.dll"));
        info.ArgumentList.Add("replay");
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "replay did not finish");
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static List<(long PcapCnt, uint Sid)> Alerts(string eve) =>
        [.. eve.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => r.GetProperty("event_type").GetString() == "alert")
            .Select(r => (r.GetProperty("pcap_cnt").GetInt64(), r.GetProperty("alert").GetProperty("signature_id").GetUInt32()))];

    [Fact]
    public void Replay_EspNullCaptureWithExamplePlugin_AlertsOnTheBasicCredentialsPacket()
    {
        (int exit, string stdout, string stderr) = Replay(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"),
            "--plugins", Path.Combine(_dir, "plugins"), "--eve", "-", "--quiet");
        Assert.True(exit == 0, stderr);
        // Frame 4 is the HTTP GET with "Authorization: Basic base64(alice:Winter2024!)" inside the ESP-NULL tunnel.
        Assert.Equal([(4L, 2290001u)], Alerts(stdout));
        JsonElement alert = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(r => r.GetProperty("event_type").GetString() == "alert");
        Assert.Equal("VISIBILITY plugin ESP-NULL cleartext HTTP Basic user and password", alert.GetProperty("alert").GetProperty("signature").GetString());
        Assert.Equal("allowed", alert.GetProperty("alert").GetProperty("action").GetString());
        Assert.Equal("null", alert.GetProperty("esp").GetProperty("verdict").GetString());
    }

    [Fact]
    public void Replay_WithShippedRules_PluginAndRuleAlertOnTheSamePacket()
    {
        (int exit, string stdout, string stderr) = Replay(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"),
            "--rules", Path.Combine(RepositoryPaths.Root, "rules"), "--plugins", Path.Combine(_dir, "plugins"), "--eve", "-", "--quiet");
        Assert.True(exit == 0, stderr);
        List<(long PcapCnt, uint Sid)> alerts = Alerts(stdout);
        Assert.Contains((4L, 2201001u), alerts);
        Assert.Contains((4L, 2290001u), alerts);
        Assert.Single(alerts, a => a.Sid >= 2290000);
    }

    [Fact]
    public void Replay_SameTrafficOutsideEsp_NoPluginAlert()
    {
        (int exit, string stdout, string stderr) = Replay(RepositoryPaths.Capture("synthetic/rules/plain.pcap"),
            "--plugins", Path.Combine(_dir, "plugins"), "--eve", "-", "--quiet");
        Assert.True(exit == 0, stderr);
        Assert.Empty(Alerts(stdout));
    }

    [Fact]
    public void Replay_SidClashWithARuleFile_ExitsTwoWithOneLine()
    {
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "alert tcp any any -> any any (msg:\"mine\"; content:\"x\"; sid:2290001;)\n");
        (int exit, _, string stderr) = Replay(RepositoryPaths.Capture("synthetic/rules/esp-null.pcap"),
            "--rules", rules, "--plugins", Path.Combine(_dir, "plugins"), "--quiet");
        Assert.Equal(2, exit);
        Assert.Equal($"visibility: error: plugin {Path.Combine(_dir, "plugins", "Visibility.Plugins.Example.dll")}: Visibility.Plugins.Example.HttpBasicCredentialsInspector: sid 2290001 (gid 1) is already used by {rules}:1",
            stderr.Trim());
    }
}
