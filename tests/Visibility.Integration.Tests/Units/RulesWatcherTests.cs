using Visibility.Cli.Service;

namespace Visibility.Integration.Tests.Units;

public sealed class RulesWatcherTests : IDisposable
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(300);
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-watcher-").FullName;
    private readonly List<string> _calls = [];
    private readonly SemaphoreSlim _called = new(0);

    public void Dispose()
    {
        _called.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private RulesWatcher Start(string? rules, string? plugins) => new(rules, plugins, s_quiet, what =>
    {
        lock (_calls)
        {
            _calls.Add(what);
        }
        _called.Release();
    });

    private int Calls
    {
        get
        {
            lock (_calls)
            {
                return _calls.Count;
            }
        }
    }

    [Fact]
    public void RuleFile_SeveralWritesInAQuietPeriod_OneCallNamingTheFile()
    {
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "# empty\n");
        using RulesWatcher watcher = Start(rules, null);
        for (int i = 0; i < 5; i++)
        {
            File.AppendAllText(rules, $"# line {i}\n");
            Thread.Sleep(20);
        }
        Assert.True(_called.Wait(TimeSpan.FromSeconds(10)), "no call");
        Thread.Sleep(s_quiet * 3);
        Assert.Equal(1, Calls);
        Assert.Equal(rules, _calls[0]);
    }

    [Fact]
    public void RuleFile_OtherFileOfTheFolderChanges_NoCall()
    {
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "# empty\n");
        using RulesWatcher watcher = Start(rules, null);
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "x");
        Assert.False(_called.Wait(s_quiet * 4));
    }

    [Fact]
    public void RulesFolder_NewRulesFileAndVariables_CallsButIgnoresOtherFiles()
    {
        using RulesWatcher watcher = Start(_dir, null);
        File.WriteAllText(Path.Combine(_dir, "README.md"), "x");
        Assert.False(_called.Wait(s_quiet * 4));
        File.WriteAllText(Path.Combine(_dir, "new.rules"), "# new\n");
        Assert.True(_called.Wait(TimeSpan.FromSeconds(10)), "no call for a new .rules file");
        File.WriteAllText(Path.Combine(_dir, "variables.conf"), "HOME_NET=10.0.0.0/8\n");
        Assert.True(_called.Wait(TimeSpan.FromSeconds(10)), "no call for variables.conf");
    }

    [Fact]
    public void PluginsFolder_DllInASubfolder_Calls()
    {
        string plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins", "Mine")).Parent!.FullName;
        using RulesWatcher watcher = Start(null, plugins);
        File.WriteAllBytes(Path.Combine(plugins, "Mine", "Mine.dll"), [0x4d, 0x5a]);
        Assert.True(_called.Wait(TimeSpan.FromSeconds(10)), "no call");
    }

    [Fact]
    public void Dispose_PendingChange_NoCallAfterwards()
    {
        string rules = Path.Combine(_dir, "local.rules");
        File.WriteAllText(rules, "# empty\n");
        RulesWatcher watcher = Start(rules, null);
        File.AppendAllText(rules, "# more\n");
        watcher.Dispose();
        Assert.False(_called.Wait(s_quiet * 4));
    }
}
