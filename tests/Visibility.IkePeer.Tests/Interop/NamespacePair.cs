using System.Globalization;

namespace Visibility.IkePeer.Tests.Interop;

/// <summary>What the interop labs share: two network namespaces joined by a veth pair (both ends and both loopbacks
/// up; addresses are the lab's), the child processes started for the lab and a temporary folder. Dispose stops the
/// processes and deletes the namespaces and the folder.</summary>
internal sealed class NamespacePair : IDisposable
{
    private static int s_counter;

    private readonly List<string> _created = [];
    private readonly List<ChildProcess> _processes = [];

    /// <param name="firstPrefix">Name of the first namespace, before a suffix unique to this lab.</param>
    /// <param name="secondPrefix">Name of the second namespace, likewise.</param>
    /// <param name="firstDevice">The first namespace's end of the link.</param>
    /// <param name="secondDevice">The second namespace's end of the link.</param>
    /// <param name="folderPrefix">Prefix of the temporary folder's name.</param>
    public NamespacePair(string firstPrefix, string secondPrefix, string firstDevice, string secondDevice, string folderPrefix)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 100000}x{Interlocked.Increment(ref s_counter)}");
        First = firstPrefix + id;
        Second = secondPrefix + id;
        FirstDevice = firstDevice;
        SecondDevice = secondDevice;
        Directory = System.IO.Directory.CreateTempSubdirectory(folderPrefix).FullName;
    }

    public string First { get; }

    public string Second { get; }

    public string FirstDevice { get; }

    public string SecondDevice { get; }

    public string Directory { get; }

    /// <summary>The first of <paramref name="tools"/> found neither where named nor in /usr/sbin or /sbin, or null.</summary>
    public static string? MissingTool(IEnumerable<string> tools) =>
        tools.FirstOrDefault(tool => !File.Exists(tool) && !File.Exists("/usr/sbin/" + Path.GetFileName(tool)) && !File.Exists("/sbin/" + Path.GetFileName(tool)));

    /// <summary>Creates the namespaces and the link, and sets both ends and both loopbacks up.</summary>
    public async Task CreateAsync()
    {
        await Ip("netns", "add", First);
        _created.Add(First);
        await Ip("netns", "add", Second);
        _created.Add(Second);
        await Ip("link", "add", FirstDevice, "netns", First, "type", "veth", "peer", "name", SecondDevice, "netns", Second);
        foreach (var (ns, device) in new[] { (First, FirstDevice), (First, "lo"), (Second, SecondDevice), (Second, "lo") })
        {
            await Ip("-n", ns, "link", "set", device, "up");
        }
    }

    /// <summary>Starts a process that is stopped on dispose.</summary>
    public ChildProcess Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = new ChildProcess(file, args, environment);
        _processes.Add(process);
        return process;
    }

    /// <summary>Starts visibility-peer (copied beside the tests) inside namespace <paramref name="ns"/>.</summary>
    public ChildProcess StartPeer(string ns, IEnumerable<string> args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var dll = Path.Combine(AppContext.BaseDirectory, "visibility-peer.dll");
        return Start("/usr/bin/ip", ["netns", "exec", ns, dotnet, dll, .. args]);
    }

    /// <summary>Runs <c>ip ARGS</c>; throws with its output when it fails.</summary>
    public static async Task Ip(params string[] args)
    {
        var result = await ChildProcess.RunAsync("/usr/bin/ip", args, TimeSpan.FromSeconds(15));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {result}");
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        foreach (var ns in _created)
        {
            using var delete = new ChildProcess("/usr/bin/ip", ["netns", "del", ns]);
            delete.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A socket file still held open; the folder is in the temporary area.
        }
    }
}
