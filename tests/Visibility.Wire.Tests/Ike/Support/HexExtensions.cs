namespace Visibility.Wire.Tests.Ike.Support;

internal static class HexExtensions
{
    public static string ToHexLower(this byte[] bytes) => Convert.ToHexStringLower(bytes);
}
