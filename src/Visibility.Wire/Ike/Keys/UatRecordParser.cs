using System.Text;

namespace Visibility.Wire.Ike.Keys;

/// <summary>Splits one record of a Wireshark UAT file into fields.</summary>
/// <remarks>Fields are separated by commas. A field is either a double-quoted string, in which <c>\\</c>, <c>\"</c>
/// and <c>\xHH</c> escapes are undone (Wireshark writes non-printable characters as <c>\xHH</c>), or a bare token
/// up to the next comma (Wireshark writes hex-byte fields bare). Spaces around fields are ignored.</remarks>
internal static class UatRecordParser
{
    public static bool TrySplit(string line, List<string> fields, out string error)
    {
        fields.Clear();
        error = string.Empty;
        int i = 0;
        var text = new StringBuilder();
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }
            text.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                bool closed = false;
                while (i < line.Length)
                {
                    char c = line[i++];
                    if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    if (c == '\\' && i < line.Length)
                    {
                        char e = line[i++];
                        if (e is 'x' or 'X' && i + 1 < line.Length && IsHex(line[i]) && IsHex(line[i + 1]))
                        {
                            text.Append((char)Convert.ToByte(line.Substring(i, 2), 16));
                            i += 2;
                            continue;
                        }
                        text.Append(e);
                        continue;
                    }
                    text.Append(c);
                }
                if (!closed)
                {
                    error = $"field {fields.Count + 1}: unterminated quoted string";
                    return false;
                }
                while (i < line.Length && line[i] is ' ' or '\t')
                {
                    i++;
                }
                if (i < line.Length && line[i] != ',')
                {
                    error = $"field {fields.Count + 1}: unexpected text after the closing quote";
                    return false;
                }
            }
            else
            {
                int start = i;
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        error = $"field {fields.Count + 1}: stray quote";
                        return false;
                    }
                    i++;
                }
                text.Append(line.AsSpan(start, i - start).Trim());
            }
            fields.Add(text.ToString());
            if (i >= line.Length)
            {
                return true;
            }
            i++; // the comma
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
