namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>Locates files of the repository from the test binaries (walks up to Visibility.sln).</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string PublicCapture(string name) => Path.Combine(Root, "captures", "public", name);

    public static string IkeOracle(string name) => Path.Combine(Root, "tests", "Visibility.Wire.Tests", "Ike", "Oracle", name);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Visibility.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Visibility.sln not found above " + AppContext.BaseDirectory);
    }
}
