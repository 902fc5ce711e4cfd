using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>A real Prometheus server for one test: its own config (one loopback target, 1 s scrape interval),
/// its own storage folder, listening on a free loopback port. Killed and deleted in <see cref="Dispose"/>.</summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private PrometheusServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts Prometheus scraping <c>http://127.0.0.1:targetPort/metrics</c> and waits until it is ready.</summary>
    public static PrometheusServer Start(int targetPort)
    {
        string dir = Directory.CreateTempSubdirectory("visibility-prometheus-").FullName;
        string config = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: visibility
                static_configs:
                  - targets: ['127.0.0.1:{targetPort.ToString(CultureInfo.InvariantCulture)}']
            """);
        int port = FreePort.Next();
        var info = new ProcessStartInfo(Prerequisites.PrometheusPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--config.file={config}");
        info.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(dir, "data")}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, dir, port);
        try
        {
            server.WaitReady(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Evaluates an instant query; the value of its single sample, or null when the result is empty.</summary>
    public double? Query(string promql)
    {
        string url = $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/api/v1/query?query={Uri.EscapeDataString(promql)}";
        using JsonDocument document = JsonDocument.Parse(_http.GetStringAsync(new Uri(url)).GetAwaiter().GetResult());
        JsonElement data = document.RootElement.GetProperty("data");
        JsonElement result = data.GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }
        string value = result[0].GetProperty("value")[1].GetString()!;
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Evaluates an instant query: every sample with its labels.</summary>
    public List<(Dictionary<string, string> Labels, double Value)> QueryVector(string promql)
    {
        string url = $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/api/v1/query?query={Uri.EscapeDataString(promql)}";
        using JsonDocument document = JsonDocument.Parse(_http.GetStringAsync(new Uri(url)).GetAwaiter().GetResult());
        var samples = new List<(Dictionary<string, string>, double)>();
        foreach (JsonElement sample in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty label in sample.GetProperty("metric").EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString()!;
            }
            samples.Add((labels, double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    /// <summary>Queries until the value equals <paramref name="expected"/> or <paramref name="timeout"/> passes;
    /// returns the last value seen.</summary>
    public double? WaitForValue(string promql, double expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        double? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = Query(promql);
            }
            catch (HttpRequestException)
            {
                last = null;
            }
            if (last == expected)
            {
                return last;
            }
            Thread.Sleep(500);
        }
        return last;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Storage files still being released; the temp folder is cleaned by the system.
        }
    }

    private void WaitReady(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var ready = new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/-/ready");
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}");
            }
            try
            {
                using HttpResponseMessage response = _http.GetAsync(ready).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow start.
            }
            Thread.Sleep(250);
        }
        throw new TimeoutException("prometheus did not become ready");
    }
}
