using System.Text.Json;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Reads an EVE JSON-lines file; every line must be one JSON object.</summary>
internal static class EveFile
{
    public static List<JsonElement> Read(string path)
    {
        var records = new List<JsonElement>();
        foreach (string line in File.ReadLines(path))
        {
            using JsonDocument document = JsonDocument.Parse(line);
            records.Add(document.RootElement.Clone());
        }
        return records;
    }

    public static IEnumerable<JsonElement> OfType(this IEnumerable<JsonElement> records, string eventType) =>
        records.Where(r => r.GetProperty("event_type").GetString() == eventType);
}
