using System.Text.Json;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>One line of an <c>*.oracle.jsonl</c> file: tshark's view of one IKE message (see Oracle/make_oracle.py).</summary>
internal sealed class IkeOracleRecord
{
    public int Frame { get; init; }

    public int Index { get; init; }

    public bool IpReassembled { get; init; }

    public bool Malformed { get; init; }

    /// <summary>tshark found octets after the last payload ("Extra data").</summary>
    public bool ExtraData { get; init; }

    /// <summary>Next Payload of the last payload tshark showed.</summary>
    public int? LastNext { get; init; }

    public int? Version { get; init; }

    public string Ispi { get; init; } = string.Empty;

    public string Rspi { get; init; } = string.Empty;

    public int? Next { get; init; }

    public int? Exchange { get; init; }

    public int? Flags { get; init; }

    public long? MessageId { get; init; }

    public long? Length { get; init; }

    public int[] Payloads { get; init; } = [];

    public bool[] Critical { get; init; } = [];

    public int[] Notify { get; init; } = [];

    public int? KeGroup { get; init; }

    public JsonElement? Proposals { get; init; }

    public int[]? Skf { get; init; }

    public IkeOracleDecryption? Decrypted { get; init; }

    private static readonly JsonSerializerOptions s_options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static List<IkeOracleRecord> Load(string fileName) =>
        File.ReadLines(RepositoryPaths.IkeOracle(fileName))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<IkeOracleRecord>(l, s_options)!)
            .ToList();

    /// <summary>Proposals as (protocol, SPI size, transform count, transforms (type, id, key length)).</summary>
    public List<(int Protocol, int SpiSize, int TransformCount, List<(int Type, int Id, int KeyLength)> Transforms)> ProposalList()
    {
        var result = new List<(int, int, int, List<(int, int, int)>)>();
        if (Proposals is not { ValueKind: JsonValueKind.Array } proposals)
        {
            return result;
        }
        foreach (JsonElement p in proposals.EnumerateArray())
        {
            var transforms = p[3].EnumerateArray().Select(t => (t[0].GetInt32(), t[1].GetInt32(), t[2].GetInt32())).ToList();
            result.Add((p[0].GetInt32(), p[1].GetInt32(), p[2].GetInt32(), transforms));
        }
        return result;
    }
}
