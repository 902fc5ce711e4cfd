namespace Visibility.Engine.Inspection.Parsing;

/// <summary>One rule after joining continuation lines, with the file position of every character.</summary>
internal sealed class LogicalLine
{
    private readonly int[] _lines;
    private readonly int[] _columns;

    public LogicalLine(string text, int[] lines, int[] columns)
    {
        Text = text;
        _lines = lines;
        _columns = columns;
    }

    public string Text { get; }

    /// <summary>The 1-based file line and column of a logical offset; offsets past the end point just after the
    /// last character.</summary>
    public (int Line, int Column) Position(int offset)
    {
        if (_lines.Length == 0)
        {
            return (1, 1);
        }
        if (offset < 0)
        {
            offset = 0;
        }
        if (offset >= _lines.Length)
        {
            return (_lines[^1], _columns[^1] + 1 + (offset - _lines.Length));
        }
        return (_lines[offset], _columns[offset]);
    }

    /// <summary>Splits a rule file into logical lines: a trailing backslash continues a rule on the next line;
    /// blank lines and lines whose first non-blank character is <c>#</c> are skipped.</summary>
    public static List<LogicalLine> Split(string text)
    {
        var result = new List<LogicalLine>();
        var buffer = new System.Text.StringBuilder();
        var lines = new List<int>();
        var columns = new List<int>();
        int lineNumber = 0;
        int pos = 0;
        bool continuing = false;
        while (pos <= text.Length)
        {
            int end = text.IndexOf('\n', pos);
            bool last = end < 0;
            if (last)
            {
                end = text.Length;
            }
            lineNumber++;
            int contentEnd = end;
            if (contentEnd > pos && text[contentEnd - 1] == '\r')
            {
                contentEnd--;
            }
            int trimmedEnd = contentEnd;
            while (trimmedEnd > pos && text[trimmedEnd - 1] is ' ' or '\t')
            {
                trimmedEnd--;
            }
            bool continues = trimmedEnd > pos && text[trimmedEnd - 1] == '\\';
            int copyEnd = continues ? trimmedEnd - 1 : contentEnd;
            for (int i = pos; i < copyEnd; i++)
            {
                buffer.Append(text[i]);
                lines.Add(lineNumber);
                columns.Add(i - pos + 1);
            }
            if (continues && !last)
            {
                continuing = true;
            }
            else
            {
                Flush(result, buffer, lines, columns);
                continuing = false;
            }
            if (last)
            {
                break;
            }
            pos = end + 1;
        }
        if (continuing)
        {
            Flush(result, buffer, lines, columns);
        }
        return result;
    }

    private static void Flush(List<LogicalLine> result, System.Text.StringBuilder buffer, List<int> lines, List<int> columns)
    {
        string text = buffer.ToString();
        int first = 0;
        while (first < text.Length && char.IsWhiteSpace(text[first]))
        {
            first++;
        }
        if (first < text.Length && text[first] != '#')
        {
            result.Add(new LogicalLine(text, [.. lines], [.. columns]));
        }
        buffer.Clear();
        lines.Clear();
        columns.Clear();
    }
}
