using Visibility.Tests.Shared;

namespace Visibility.Plugins.Tests;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string Capture(string relative) => Path.Combine(Root, "captures", relative);

    /// <summary>A file copied beside the tests by a project reference.</summary>
    public static string Built(string fileName) => Path.Combine(AppContext.BaseDirectory, fileName);
}
