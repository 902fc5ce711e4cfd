using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Visibility.Integration.Tests.Infrastructure;

namespace Visibility.Integration.Tests;

/// <summary><c>visibility run --config FILE</c> as a child process: file mode, SIGHUP, SIGTERM, bad configuration.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ServiceHostTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-service-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Run_FilesThenSighupThenSigterm_LogsReloadWritesCompleteEveExitsZero()
    {
        string eve = Path.Combine(_dir, "eve.json");
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } },
            Eve = new { Path = eve },
            // The capture spans about 5 h of packet time: a day-long timeout leaves every flow open until SIGTERM.
            Flows = new { Capacity = 4096, TimeoutSeconds = 86400 },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.True(service.WaitForError("running until stopped", s_wait), "service did not finish the files: " + service.StandardError);

        service.Signal("HUP");
        Assert.True(service.WaitForError("SIGHUP: reload requested", s_wait), "no reload line: " + service.StandardError);
        Assert.False(service.HasExited);

        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));
        Assert.Contains("stopped: 834 packets", service.StandardError, StringComparison.Ordinal);

        List<JsonElement> records = EveFile.Read(eve);
        JsonElement last = records[^1];
        Assert.Equal("stats", last.GetProperty("event_type").GetString());
        Assert.Equal(834, last.GetProperty("stats").GetProperty("decoder").GetProperty("pkts").GetInt64());
        List<JsonElement> flows = records.OfType("flow").ToList();
        Assert.NotEmpty(flows);
        Assert.Equal(last.GetProperty("stats").GetProperty("flow").GetProperty("total").GetInt64(), flows.Count);
        Assert.All(flows, f => Assert.Equal("shutdown", f.GetProperty("flow").GetProperty("reason").GetString()));
    }

    [Fact]
    public void Run_EveRotateBytes_SplitsRecordsAcrossFilesWithoutLosingAny()
    {
        string eve = Path.Combine(_dir, "eve.json");
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } },
            Eve = new { Path = eve, RotateBytes = 65536, RotateKeep = 100 },
            Flows = new { TimeoutSeconds = 86400 },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.True(service.WaitForError("running until stopped", s_wait), "service did not finish the files: " + service.StandardError);
        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));

        string[] rotated = Directory.GetFiles(_dir)
            .Where(f => Path.GetFileName(f).StartsWith("eve.json.", StringComparison.Ordinal) && f[(f.LastIndexOf('.') + 1)..].All(char.IsAsciiDigit))
            .ToArray();
        Assert.NotEmpty(rotated);
        Assert.True(rotated.Length < 100, "more files than RotateKeep would keep");
        // Oldest first: eve.json.N ... eve.json.1, then eve.json.
        List<JsonElement> records = rotated
            .OrderByDescending(f => int.Parse(f[(f.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .Append(eve)
            .SelectMany(EveFile.Read)
            .ToList();
        Assert.All(rotated, f => Assert.True(new FileInfo(f).Length >= 65536));
        JsonElement stats = records[^1];
        Assert.Equal("stats", stats.GetProperty("event_type").GetString());
        Assert.Equal(stats.GetProperty("stats").GetProperty("flow").GetProperty("total").GetInt64(), records.OfType("flow").Count());
        Assert.Equal(records.Count, records.Select(r => r.GetRawText()).Distinct().Count());
    }

    [Fact]
    public void Run_NegativeFlowCapacity_FailsFastNamingTheKey()
    {
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } },
            Flows = new { Capacity = -5 },
        });
        AssertConfigError(["run", "--config", config], "Flows:Capacity");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Run_WorkersOutOfRange_FailsFastNamingTheKey(int workers)
    {
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture }, Workers = workers },
        });
        AssertConfigError(["run", "--config", config], "Visibility:Workers: must be between 1 and 64");
    }

    [Fact]
    public void Run_FilesWithThreeWorkers_SameEveAsOneWorker()
    {
        string[] one = RunFiles(workers: 1, "one.json");
        string[] three = RunFiles(workers: 3, "three.json");
        Assert.Contains("\"event_type\":\"stats\"", three[^1], StringComparison.Ordinal);
        Assert.Contains("\"pkts\":834,", three[^1], StringComparison.Ordinal);
        // One worker numbers flows as they come, several in the canonical order: the records match otherwise.
        Assert.Equal(WithoutFlowIds(one), WithoutFlowIds(three));
    }

    [Fact]
    public void Run_MissingInputFile_FailsFastNamingTheKey()
    {
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { Path.Combine(_dir, "absent.pcap") } },
        });
        AssertConfigError(["run", "--config", config], "Visibility:Files:0");
    }

    [Fact]
    public void Run_EnvironmentOverride_IsValidatedToo()
    {
        string config = WriteConfig(new { Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture } } });
        AssertConfigError(["run", "--config", config, "--Flows:TimeoutSeconds=0"], "Flows:TimeoutSeconds");
    }

    [Fact]
    public void Run_MissingConfigFile_FailsFast()
    {
        string path = Path.Combine(_dir, "absent.json");
        using SensorProcess service = SensorProcess.Start(["run", "--config", path]);
        Assert.Equal(1, service.WaitForExit(s_wait));
        Assert.Equal($"visibility: error: config file '{path}': no such file", service.StandardError.Trim());
    }

    [Fact]
    public void Run_NeitherInterfacesNorFiles_FailsFastNamingTheKeys()
    {
        string config = WriteConfig(new { Eve = new { Path = Path.Combine(_dir, "eve.json") } });
        AssertConfigError(["run", "--config", config], "Visibility:Interfaces / Visibility:Files");
    }

    [Fact]
    public void Run_SampleConfig_Parses()
    {
        // The shipped sample names an interface and system paths; only its keys and value types are checked here.
        string sample = Path.Combine(RepositoryPaths.Root, "src", "Visibility.Cli", "Service", "visibility.sample.json");
        string plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        using SensorProcess service = SensorProcess.Start(["run", "--config", sample, "--Eve:Path=" + Path.Combine(_dir, "eve.json"), "--Visibility:Interfaces:0=vis-nosuch0",
            "--Rules:Path=" + Path.Combine(RepositoryPaths.Root, "rules"), "--Plugins:Path=" + plugins]);
        Assert.Equal(2, service.WaitForExit(s_wait));
        Assert.Contains("Visibility:Interfaces: vis-nosuch0: no such interface", service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_YamlSampleConfig_Parses()
    {
        string sample = Path.Combine(RepositoryPaths.Root, "src", "Visibility.Cli", "Service", "visibility.sample.yaml");
        string plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        using SensorProcess service = SensorProcess.Start(["run", "--config", sample, "--Eve:Path=" + Path.Combine(_dir, "eve.json"), "--Visibility:Interfaces:0=vis-nosuch0",
            "--Rules:Path=" + Path.Combine(RepositoryPaths.Root, "rules"), "--Plugins:Path=" + plugins]);
        Assert.Equal(2, service.WaitForExit(s_wait));
        Assert.Contains("Visibility:Interfaces: vis-nosuch0: no such interface", service.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleConfigs_YamlAndJson_SameKeysAndValues()
    {
        string service = Path.Combine(RepositoryPaths.Root, "src", "Visibility.Cli", "Service");
        Dictionary<string, string?> json = new ConfigurationBuilder().AddJsonFile(Path.Combine(service, "visibility.sample.json")).Build()
            .AsEnumerable().ToDictionary(p => p.Key, p => p.Value?.ToUpperInvariant(), StringComparer.OrdinalIgnoreCase);
        Dictionary<string, string?> yaml = new ConfigurationBuilder().AddYamlFile(Path.Combine(service, "visibility.sample.yaml")).Build()
            .AsEnumerable().ToDictionary(p => p.Key, p => p.Value?.ToUpperInvariant(), StringComparer.OrdinalIgnoreCase);
        // Values compare without case: the JSON reader writes booleans as "True", the YAML reader as written.
        Assert.Contains("Visibility:Interfaces:0", (IDictionary<string, string?>)yaml);
        Assert.Equal(json.OrderBy(p => p.Key, StringComparer.Ordinal), yaml.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Run_YamlSampleInFileMode_SameEveAsJsonSample()
    {
        // The samples name an interface; in file mode both read the IPsec capture instead, everything else as shipped.
        string service = Path.Combine(RepositoryPaths.Root, "src", "Visibility.Cli", "Service");
        string json = File.ReadAllText(Path.Combine(service, "visibility.sample.json"));
        string yaml = File.ReadAllText(Path.Combine(service, "visibility.sample.yaml"));
        string capture = RepositoryPaths.IpsecCapture;
        string jsonFiles = json.Replace("\"Interfaces\": [ \"eth1\" ]", "\"Files\": [ " + JsonSerializer.Serialize(capture) + " ]", StringComparison.Ordinal);
        string yamlFiles = yaml.Replace("  Interfaces:\n    - eth1\n", "  Files:\n    - \"" + capture + "\"\n", StringComparison.Ordinal);
        Assert.NotEqual(json, jsonFiles);
        Assert.NotEqual(yaml, yamlFiles);

        string[] fromJson = RunSample(jsonFiles, "sample.json", "json-eve.json");
        string[] fromYaml = RunSample(yamlFiles, "sample.yaml", "yaml-eve.json");
        Assert.Contains("\"pkts\":834,", fromYaml[^1], StringComparison.Ordinal);
        Assert.Equal(fromJson, fromYaml);
    }

    [Theory]
    [InlineData("visibility.yaml", "Flows:\n  Capacity: 1\n Eve: x\n", "line 3, column 2: ")]
    [InlineData("visibility.yml", "Flows:\n  Capacity: \"4096\nEve: x\n", "line 2, column 13: ")]
    [InlineData("visibility.yaml", "Flows:\n  Capacity: [4096\n  TimeoutSeconds: 300\n", "line 3, column 3: ")]
    public void Run_YamlSyntaxError_FailsFastNamingLineAndColumn(string name, string text, string position)
    {
        string config = Path.Combine(_dir, name);
        File.WriteAllText(config, text);
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.Equal(1, service.WaitForExit(s_wait));
        string error = service.StandardError.Trim();
        Assert.StartsWith($"visibility: error: config file '{config}': {position}", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Run_YamlNegativeFlowCapacity_FailsFastNamingTheKey()
    {
        string config = Path.Combine(_dir, "visibility.yaml");
        File.WriteAllText(config, $"Visibility:\n  Files:\n    - \"{RepositoryPaths.IpsecCapture}\"\nFlows:\n  Capacity: -5\n");
        AssertConfigError(["run", "--config", config], "Flows:Capacity: must be between 1 and 67108864 (got -5)");
    }

    [Fact]
    public void Run_YamlValueOfWrongType_FailsFastNamingTheKey()
    {
        string config = Path.Combine(_dir, "visibility.yml");
        File.WriteAllText(config, $"Visibility:\n  Files:\n    - \"{RepositoryPaths.IpsecCapture}\"\nFlows:\n  Capacity: many\n");
        AssertConfigError(["run", "--config", config], "'Flows:Capacity'");
    }

    /// <summary>A sample turned to file mode, written as <paramref name="name"/> and run with the same overrides until
    /// the file is done; the EVE lines.</summary>
    private string[] RunSample(string text, string name, string eveName)
    {
        string config = Path.Combine(_dir, name);
        File.WriteAllText(config, text);
        string eve = Path.Combine(_dir, eveName);
        string plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        using SensorProcess service = SensorProcess.Start(["run", "--config", config, "--Eve:Path=" + eve, "--Flows:TimeoutSeconds=86400",
            "--Rules:Path=" + Path.Combine(RepositoryPaths.Root, "rules"), "--Plugins:Path=" + plugins]);
        Assert.True(service.WaitForError("running until stopped", s_wait), "service did not finish the files: " + service.StandardError);
        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));
        return File.ReadAllLines(eve);
    }

    /// <summary>The service over the IPsec capture with <paramref name="workers"/> workers, stopped once the file is
    /// done; the EVE lines.</summary>
    private string[] RunFiles(int workers, string eveName)
    {
        string eve = Path.Combine(_dir, eveName);
        string config = WriteConfig(new
        {
            Visibility = new { Files = new[] { RepositoryPaths.IpsecCapture }, Workers = workers },
            Eve = new { Path = eve },
            Flows = new { TimeoutSeconds = 86400 },
        });
        using SensorProcess service = SensorProcess.Start(["run", "--config", config]);
        Assert.True(service.WaitForError("running until stopped", s_wait), "service did not finish the files: " + service.StandardError);
        Assert.Contains("replayed 1 file(s), 834 packets", service.StandardError, StringComparison.Ordinal);
        service.Signal("TERM");
        Assert.Equal(0, service.WaitForExit(s_wait));
        return File.ReadAllLines(eve);
    }

    private static List<string> WithoutFlowIds(string[] lines) =>
        [.. lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, "\"flow_id\":[0-9]+,", string.Empty)).Order(StringComparer.Ordinal)];

    private static void AssertConfigError(string[] args, string key)
    {
        using SensorProcess service = SensorProcess.Start(args);
        Assert.Equal(1, service.WaitForExit(s_wait));
        string error = service.StandardError.Trim();
        Assert.StartsWith("visibility: error: config: ", error, StringComparison.Ordinal);
        Assert.Contains(key, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    private string WriteConfig(object config)
    {
        string path = Path.Combine(_dir, "visibility.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }
}
