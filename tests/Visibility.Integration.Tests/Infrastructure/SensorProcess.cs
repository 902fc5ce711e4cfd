using System.Diagnostics;
using System.Text;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>The <c>visibility</c> executable run as a child process (optionally inside a network namespace), with
/// its standard output and error collected, and POSIX signals sent to it.</summary>
internal sealed class SensorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private SensorProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The built CLI (copied beside the tests by the project reference).</summary>
    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "visibility.dll");

    /// <summary>Arguments of <c>dotnet</c> that run the CLI copied beside the tests: with this test assembly's runtime
    /// configuration and dependencies (which include the CLI's), because a Release build of the CLI is self-contained
    /// and its own runtimeconfig.json names no framework for <c>dotnet</c> to load.</summary>
    private static string[] CliLaunch
    {
        get
        {
            string tests = Path.Combine(AppContext.BaseDirectory, typeof(SensorProcess).Assembly.GetName().Name!);
            return ["exec", "--runtimeconfig", tests + ".runtimeconfig.json", "--depsfile", tests + ".deps.json", CliPath];
        }
    }

    /// <summary>Starts <c>dotnet visibility.dll ARGS</c>; inside <paramref name="netns"/> with <c>ip netns exec</c>
    /// (which execs, so the process id is the sensor's own).</summary>
    public static SensorProcess Start(IEnumerable<string> args, string? netns = null) => Start(args, netns, user: null);

    /// <summary>Starts <c>dotnet visibility.dll ARGS</c> as <paramref name="user"/> (runuser; needs root).</summary>
    public static SensorProcess StartAs(string user, IEnumerable<string> args) => Start(args, netns: null, user);

    private static SensorProcess Start(IEnumerable<string> args, string? netns, string? user)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(user);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(dotnet);
            info.Environment["HOME"] = Path.GetTempPath();
        }
        else if (netns is null)
        {
            info.FileName = dotnet;
        }
        else
        {
            info.FileName = "ip";
            info.ArgumentList.Add("netns");
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(netns);
            info.ArgumentList.Add(dotnet);
        }
        foreach (string arg in CliLaunch)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new SensorProcess(Process.Start(info)!);
    }

    /// <summary>Sends a signal by name (TERM, INT, HUP) with kill(1).</summary>
    public void Signal(string name)
    {
        (int code, string output) = Prerequisites.Run("kill", "-s", name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (code != 0)
        {
            throw new InvalidOperationException($"kill -s {name} {_process.Id}: {output}");
        }
    }

    /// <summary>Waits for the process to end; returns its exit code, or throws after <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"visibility did not exit within {timeout}. stderr: {StandardError}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until standard error contains <paramref name="text"/>; false after the timeout or if the
    /// process ended first.</summary>
    public bool WaitForError(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (StandardError.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            if (_process.HasExited)
            {
                Thread.Sleep(100);
                return StandardError.Contains(text, StringComparison.Ordinal);
            }
            Thread.Sleep(50);
        }
        return false;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            target.AppendLine(line);
        }
    }
}
