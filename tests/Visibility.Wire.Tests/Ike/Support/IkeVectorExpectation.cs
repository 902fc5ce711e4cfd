using System.Text.Json;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>One entry of Oracle/vectors/ikev2-sk-vectors.plain.json: what make_sk_vectors.py put inside each frame.</summary>
internal sealed class IkeVectorExpectation
{
    public int Frame { get; init; }

    public string Suite { get; init; } = string.Empty;

    public string What { get; init; } = string.Empty;

    public int Port { get; init; }

    /// <summary>Inner payload types; null for SKF fragments after the first (their chain continues fragment 1).</summary>
    public int[]? InnerPayloads { get; init; }

    public int[]? InnerNotify { get; init; }

    public static List<IkeVectorExpectation> Load() =>
        JsonSerializer.Deserialize<List<IkeVectorExpectation>>(
            File.ReadAllText(RepositoryPaths.IkeOracle(Path.Combine("vectors", "ikev2-sk-vectors.plain.json"))),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
}
