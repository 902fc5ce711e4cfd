using System.Diagnostics;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Checks the machine for what a test needs, once per process, and says what is missing.</summary>
internal static class Prerequisites
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> s_root = new(() =>
        Run("id", "-u").Output.Trim() == "0" ? null : "not running as root");

    private static readonly Lazy<string?> s_netns = new(() =>
    {
        if (s_root.Value is not null)
        {
            return "network namespaces need root";
        }
        string name = "vis-probe-" + Environment.ProcessId;
        (int code, string output) = Run("ip", "netns", "add", name);
        if (code != 0)
        {
            return $"'ip netns add' failed: {output.Trim()}";
        }
        Run("ip", "netns", "del", name);
        return null;
    });

    private static readonly Lazy<string?> s_scapy = new(() =>
        File.Exists(Python) && Run(Python, "-c", "import scapy.all").Code == 0 ? null : $"{Python} with scapy is not installed (apt-get install python3-scapy)");

    private static readonly Lazy<string?> s_prometheus = new(() =>
        PrometheusPath is null ? "the prometheus server is not installed (apt-get install prometheus)" : null);

    private static readonly Lazy<string?> s_libpcap = new(() =>
        Directory.EnumerateFiles("/usr/lib", "libpcap.so*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Any() ? null : "libpcap is not installed (apt-get install libpcap0.8)");

    private static readonly Lazy<string?> s_unprivileged = new(() =>
        s_root.Value is null && Run("runuser", "-u", "nobody", "--", "test", "-r", SensorProcess.CliPath).Code == 0
            ? null
            : "root and a CLI build that the user nobody can read");

    private static readonly Lazy<string?> s_tcpdump = new(() =>
        Run("tcpdump", "--version").Code == 0 ? null : "tcpdump is not installed (apt-get install tcpdump)");

    /// <summary>The prometheus binary, or null.</summary>
    public static string? PrometheusPath => File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus" : null;

    /// <summary>Why the test cannot run, or null when everything in <paramref name="needs"/> is there.</summary>
    public static string? Missing(Prerequisite needs)
    {
        var reasons = new List<string>();
        Check(needs, Prerequisite.Root, s_root, reasons);
        Check(needs, Prerequisite.NetworkNamespaces, s_netns, reasons);
        Check(needs, Prerequisite.Scapy, s_scapy, reasons);
        Check(needs, Prerequisite.Prometheus, s_prometheus, reasons);
        Check(needs, Prerequisite.Libpcap, s_libpcap, reasons);
        Check(needs, Prerequisite.UnprivilegedRun, s_unprivileged, reasons);
        Check(needs, Prerequisite.Tcpdump, s_tcpdump, reasons);
        return reasons.Count == 0 ? null : "prerequisite missing: " + string.Join("; ", reasons);
    }

    /// <summary>Runs a short command and returns its exit code and merged output (stdout then stderr).</summary>
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} timed out");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }
    }

    private static void Check(Prerequisite needs, Prerequisite one, Lazy<string?> check, List<string> reasons)
    {
        if ((needs & one) != 0 && check.Value is string reason)
        {
            reasons.Add(reason);
        }
    }
}
