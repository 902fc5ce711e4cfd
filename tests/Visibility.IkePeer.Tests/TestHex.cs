namespace Visibility.IkePeer.Tests;

/// <summary>Hex helpers for test vectors (spaces allowed).</summary>
internal static class TestHex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(data);
}
