using System.Globalization;

namespace Visibility.Wire.Tests.Decoding;

/// <summary>Test bytes written as hex text, so that each protocol field can sit under an offset comment.</summary>
internal static class Hex
{
    /// <summary>Parses hex digit pairs, ignoring spaces.</summary>
    public static byte[] Parse(string text)
    {
        string digits = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (digits.Length % 2 != 0)
        {
            throw new ArgumentException("odd number of hex digits: " + text, nameof(text));
        }
        byte[] bytes = new byte[digits.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = byte.Parse(digits.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return bytes;
    }
}
