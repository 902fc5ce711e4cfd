using System.Runtime.Loader;
using Visibility.Cli.Rules;
using Visibility.Engine.Inspection;
using Visibility.Inspection.Abstractions;
using Visibility.Plugins.Example;

namespace Visibility.Plugins.Tests;

public sealed class PluginLoaderTests : IDisposable
{
    private const string ExampleDll = "Visibility.Plugins.Example.dll";
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-plugins-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Copy(string fileName, string? asName = null, string? folder = null)
    {
        string target = folder is null ? _dir : Directory.CreateDirectory(Path.Combine(_dir, folder)).FullName;
        string path = Path.Combine(target, asName ?? fileName);
        File.Copy(RepositoryPaths.Built(fileName), path);
        return path;
    }

    private PluginLoader.Result Load(Dictionary<(uint Gid, uint Sid), string>? taken = null) => PluginLoader.Load(_dir, taken ?? []);

    [Fact]
    public void Load_ExamplePlugin_InstantiatesItsInspectorInACollectibleContextSharingTheAbstractions()
    {
        Copy(ExampleDll);
        PluginLoader.Result result = Load();
        Assert.Empty(result.Errors);
        Assert.Equal([Path.Combine(_dir, ExampleDll)], result.Plugins.Files);
        IPacketInspector inspector = Assert.Single(result.Plugins.Inspectors).Inspector;
        Type type = inspector.GetType();
        Assert.Equal(typeof(HttpBasicCredentialsInspector).FullName, type.FullName);
        // Its own copy of the plugin assembly, not the one this test references...
        Assert.NotSame(typeof(HttpBasicCredentialsInspector), type);
        AssemblyLoadContext context = AssemblyLoadContext.GetLoadContext(type.Assembly)!;
        Assert.IsType<PluginLoadContext>(context);
        Assert.True(context.IsCollectible);
        // ...but the host's abstractions: the cast to IPacketInspector above worked, and they live in the default context.
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(IPacketInspector).Assembly));
        Assert.Equal([2290001u, 2290002u], result.Plugins.Inspectors[0].Rules.Select(r => r.Sid));
        result.Plugins.Unload();
    }

    [Fact]
    public void Load_SharedAssemblyCopies_AreIgnored()
    {
        Copy(ExampleDll);
        Copy("Visibility.Inspection.Abstractions.dll");
        Copy("Visibility.Wire.dll");
        PluginLoader.Result result = Load();
        Assert.Empty(result.Errors);
        Assert.Single(result.Plugins.Files);
    }

    [Fact]
    public void Load_PluginInItsOwnSubfolder_Loads()
    {
        Copy(ExampleDll, folder: "Visibility.Plugins.Example");
        PluginLoader.Result result = Load();
        Assert.Empty(result.Errors);
        Assert.Single(result.Plugins.Inspectors);
    }

    [Fact]
    public void Load_NotAnAssembly_OneLineNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "Broken.dll"), "this is not a PE file\n");
        Copy(ExampleDll);
        PluginLoader.Result result = Load();
        Assert.Equal([$"{Path.Combine(_dir, "Broken.dll")}: not a .NET assembly"], result.Errors);
        Assert.Single(result.Plugins.Inspectors);
    }

    [Fact]
    public void Load_AssemblyWithoutInspectors_Refused()
    {
        Copy("Visibility.Engine.dll");
        PluginLoader.Result result = Load();
        string error = Assert.Single(result.Errors);
        Assert.EndsWith("Visibility.Engine.dll: no public IPacketInspector with a public parameterless constructor", error, StringComparison.Ordinal);
        Assert.Empty(result.Plugins.Inspectors);
    }

    [Fact]
    public void Load_ConstructorThrows_RefusedWithTheExceptionMessageAndNoStackTrace()
    {
        Copy("Visibility.Plugins.Tests.dll");
        PluginLoader.Result result = Load();
        string error = Assert.Single(result.Errors);
        Assert.EndsWith("Visibility.Plugins.Tests.dll: Visibility.Plugins.Tests.ThrowingInspector: constructor threw InvalidOperationException: licence file /etc/example.lic missing", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SidTakenByARuleFile_RefusedNamingTheRule()
    {
        Copy(ExampleDll);
        PluginLoader.Result result = Load(new() { [(1, 2290002)] = "local.rules:7" });
        string error = Assert.Single(result.Errors);
        Assert.EndsWith(": Visibility.Plugins.Example.HttpBasicCredentialsInspector: sid 2290002 (gid 1) is already used by local.rules:7", error, StringComparison.Ordinal);
        Assert.Empty(result.Plugins.Inspectors);
    }

    [Fact]
    public void Load_TwoPluginsWithTheSameSids_TheSecondIsRefused()
    {
        Copy(ExampleDll, "A.dll");
        Copy(ExampleDll, "B.dll");
        PluginLoader.Result result = Load();
        Assert.Single(result.Plugins.Inspectors);
        string error = Assert.Single(result.Errors);
        Assert.StartsWith(Path.Combine(_dir, "B.dll") + ": ", error, StringComparison.Ordinal);
        Assert.Contains($"is already used by plugin {Path.Combine(_dir, "A.dll")}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unload_RuleSetDropped_ThePluginContextIsCollected()
    {
        Copy(ExampleDll);
        WeakReference context = LoadEvaluateAndUnload();
        for (int i = 0; i < 20 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(context.IsAlive, "the plugin's load context is still referenced after Unload");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private WeakReference LoadEvaluateAndUnload()
    {
        RuleLoader.Inspection loaded = RuleLoader.LoadAll(null, [], _dir);
        var collector = new SidCollector();
        loaded.RuleSet.Evaluate(new InspectionContext { Protocol = InspectionProtocol.Tcp, Payload = "GET / HTTP/1.1\r\n\r\n"u8 }, ref collector);
        var context = new WeakReference(AssemblyLoadContext.GetLoadContext(loaded.Plugins.Inspectors[0].Inspector.GetType().Assembly));
        loaded.Plugins.Unload();
        return context;
    }

    private struct SidCollector : IRuleMatchCollector
    {
        public void OnMatch(in RuleMatch match)
        {
        }
    }

    [Fact]
    public void Load_MissingFolder_Throws() =>
        Assert.Throws<DirectoryNotFoundException>(() => PluginLoader.Load(Path.Combine(_dir, "absent"), []));

    [Fact]
    public void LoadAll_RulesAndPlugin_OneSetWithBoth()
    {
        Copy(ExampleDll);
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "alert tcp any any -> any 80 (msg:\"local\"; content:\"GET\"; sid:1001;)\n");
        RuleLoader.Inspection loaded = RuleLoader.LoadAll(rules, [], _dir);
        Assert.False(loaded.HasErrors);
        Assert.Equal(1, loaded.RuleCount);
        Assert.Equal([1001u, 2290001u, 2290002u], loaded.RuleSet.Rules.Select(r => r.Sid).Order());
        Assert.Single(loaded.RuleSet.Inspectors);
    }

    [Fact]
    public void Compile_PluginRefused_ThrowsAnInputErrorNamingIt()
    {
        File.WriteAllText(Path.Combine(_dir, "Broken.dll"), "x");
        PluginLoadException e = Assert.Throws<PluginLoadException>(() => RuleLoader.Compile(null, [], _ => { }, _dir));
        Assert.Equal($"plugin {Path.Combine(_dir, "Broken.dll")}: not a .NET assembly", e.Message);
        Assert.IsAssignableFrom<IOException>(e);
    }
}
