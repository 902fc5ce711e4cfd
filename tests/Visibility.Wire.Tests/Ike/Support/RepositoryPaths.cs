using Visibility.Tests.Shared;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>Locates files of the repository from the test binaries (walks up to Visibility.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string PublicCapture(string name) => Path.Combine(Root, "captures", "public", name);

    public static string IkeOracle(string name) => Path.Combine(Root, "tests", "Visibility.Wire.Tests", "Ike", "Oracle", name);
}
