using System.Diagnostics;
using System.Text;

namespace Visibility.IkePeer.Tests.Interop;

/// <summary>A child process whose output is collected; killed (with its tree) on dispose.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();

    public ChildProcess(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = new ChildProcess(file, args, environment);
        return await process.WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Waits for the exit; past <paramref name="timeout"/> the process is killed and the result says so.</summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            return new ProcessResult(-1, Output, Error + $"\n(killed after {timeout.TotalSeconds} s)");
        }

        _process.WaitForExit();
        return new ProcessResult(_process.ExitCode, Output, Error);
    }

    /// <summary>Waits until standard output contains <paramref name="text"/>; false on exit or timeout.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout, int occurrences = 1)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Count(Output, text) >= occurrences)
            {
                return true;
            }

            if (_process.HasExited)
            {
                return Count(Output, text) >= occurrences;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    private static int Count(string haystack, string text)
    {
        var count = 0;
        for (var i = haystack.IndexOf(text, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(text, i + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public void Signal(string name)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-s", name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit(5000);
        }
    }

    public void Kill()
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
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.AppendLine(line);
        }
    }
}
