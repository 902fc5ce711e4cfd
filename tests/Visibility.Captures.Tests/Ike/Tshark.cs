using System.Diagnostics;

namespace Visibility.Captures.Tests.Ike;

/// <summary>Runs tshark over a capture with the Wireshark key files beside it, given as UAT rows on the command line
/// (<c>-o uat:ikev2_decryption_table:ROW</c>, <c>-o uat:esp_sa:ROW</c>), so no profile folder is touched.</summary>
internal static class Tshark
{
    private static readonly Lazy<string?> s_path = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator)
            .Select(d => System.IO.Path.Combine(d, "tshark")).FirstOrDefault(File.Exists));

    /// <summary>The tshark executable on PATH, or null.</summary>
    public static string? Path => s_path.Value;

    /// <summary>One row of tshark's field output: the values of each requested field, all occurrences.</summary>
    public sealed record Row(long Frame, IReadOnlyList<string[]> Fields);

    /// <summary>Dissects <paramref name="capture"/> with the key files found in <paramref name="keyFolder"/> and returns
    /// one row per frame with the values of <paramref name="fields"/> (every occurrence, in tree order).</summary>
    public static List<Row> Fields(string capture, string keyFolder, params string[] fields)
    {
        var arguments = new List<string> { "-n", "-r", capture, "-o", "ip.defragment:TRUE",
            "-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE" };
        foreach ((string table, string uat) in new[] { ("ikev2_decryption_table", "ikev2_decryption_table"), ("esp_sa", "esp_sa") })
        {
            string file = System.IO.Path.Combine(keyFolder, table);
            if (File.Exists(file))
            {
                foreach (string row in File.ReadLines(file).Where(l => l.Length > 0 && l[0] != '#'))
                {
                    arguments.AddRange(["-o", $"uat:{uat}:{row}"]);
                }
            }
        }
        arguments.AddRange(["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|", "-e", "frame.number"]);
        foreach (string field in fields)
        {
            arguments.AddRange(["-e", field]);
        }
        var start = new ProcessStartInfo(Path ?? "tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ForEach(start.ArgumentList.Add);
        // A private configuration folder: no user profile, preference or UAT file changes what tshark does.
        string config = Directory.CreateTempSubdirectory("visibility-tshark-").FullName;
        start.Environment["WIRESHARK_CONFIG_DIR"] = config;
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"tshark exited {process.ExitCode}: {error.Result}");
            }
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
            {
                string[] columns = line.Split('\t');
                return new Row(long.Parse(columns[0], System.Globalization.CultureInfo.InvariantCulture),
                    columns.Skip(1).Select(c => c.Length == 0 ? Array.Empty<string>() : c.Split('|')).ToArray());
            }).ToList();
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
