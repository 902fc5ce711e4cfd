using System.Text.Json;

namespace Visibility.Captures.Tests;

/// <summary>A checker for the subset of JSON Schema that eve.schema.json uses: type, enum, properties,
/// additionalProperties (false or a schema), required, items.</summary>
internal static class EveSchema
{
    private static readonly Lazy<JsonElement> s_schema = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Visibility.Cli", "Eve", "eve.schema.json"))).RootElement);

    public static JsonElement Schema => s_schema.Value;

    /// <summary>Returns the problems of <paramref name="value"/> against the schema, as "path: problem" lines.</summary>
    public static List<string> Check(JsonElement value)
    {
        var problems = new List<string>();
        Check(value, Schema, "$", problems);
        return problems;
    }

    private static void Check(JsonElement value, JsonElement schema, string path, List<string> problems)
    {
        if (schema.TryGetProperty("enum", out JsonElement choices))
        {
            if (!choices.EnumerateArray().Any(c => JsonElement.DeepEquals(c, value)))
            {
                problems.Add($"{path}: {value.GetRawText()} is not one of {choices.GetRawText()}");
            }
        }
        if (schema.TryGetProperty("type", out JsonElement type))
        {
            string[] allowed = type.ValueKind == JsonValueKind.Array
                ? type.EnumerateArray().Select(t => t.GetString()!).ToArray()
                : [type.GetString()!];
            if (!allowed.Any(t => Matches(value, t)))
            {
                problems.Add($"{path}: {value.ValueKind} is not {string.Join("|", allowed)}");
                return;
            }
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            schema.TryGetProperty("properties", out JsonElement properties);
            foreach (JsonProperty p in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(p.Name, out JsonElement sub))
                {
                    Check(p.Value, sub, path + "." + p.Name, problems);
                }
                else if (schema.TryGetProperty("additionalProperties", out JsonElement extra))
                {
                    if (extra.ValueKind == JsonValueKind.False)
                    {
                        problems.Add($"{path}.{p.Name}: not declared in eve.schema.json");
                    }
                    else if (extra.ValueKind == JsonValueKind.Object)
                    {
                        Check(p.Value, extra, path + "." + p.Name, problems);
                    }
                }
            }
            if (schema.TryGetProperty("required", out JsonElement required))
            {
                foreach (JsonElement name in required.EnumerateArray())
                {
                    if (!value.TryGetProperty(name.GetString()!, out _))
                    {
                        problems.Add($"{path}: required field '{name.GetString()}' missing");
                    }
                }
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
        {
            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                Check(item, items, $"{path}[{i++}]", problems);
            }
        }
    }

    private static bool Matches(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };
}
