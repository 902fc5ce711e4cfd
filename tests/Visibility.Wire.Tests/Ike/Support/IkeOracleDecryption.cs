namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>tshark's decryption of an SK/SKF payload: inner payload and notify types, Pad Length, ICV verdict.</summary>
internal sealed class IkeOracleDecryption
{
    public int[] Payloads { get; init; } = [];

    public int[] Notify { get; init; } = [];

    public int? PadLength { get; init; }

    /// <summary>"correct", "incorrect", or null when tshark did not check.</summary>
    public string? Icd { get; init; }
}
