namespace Visibility.Plugins.Tests;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Visibility.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Visibility.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    public static string Capture(string relative) => Path.Combine(Root, "captures", relative);

    /// <summary>A file copied beside the tests by a project reference.</summary>
    public static string Built(string fileName) => Path.Combine(AppContext.BaseDirectory, fileName);
}
