namespace Visibility.IkePeer.Tests.Crypto;

/// <summary>Reads Fixtures/strongswan-5.9.8-keys.txt: sections of <c>name = value</c> lines.</summary>
internal static class StrongSwanKeyFixture
{
    public static IReadOnlyDictionary<string, string> Section(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "strongswan-5.9.8-keys.txt");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                current = line[1..^1];
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (current == name && eq > 0)
            {
                values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        return values.Count > 0 ? values : throw new InvalidOperationException($"no section [{name}] in {path}");
    }
}
