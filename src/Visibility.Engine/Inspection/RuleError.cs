namespace Visibility.Engine.Inspection;

/// <summary>A rule that could not be loaded: where, and what the parser expected there. The rule is skipped;
/// the others load.</summary>
public sealed class RuleError
{
    public RuleError(string file, int line, int column, string message, uint? sid = null)
    {
        File = file;
        Line = line;
        Column = column;
        Message = message;
        Sid = sid;
    }

    public string File { get; }

    /// <summary>1-based line in <see cref="File"/>.</summary>
    public int Line { get; }

    /// <summary>1-based column (characters) in that line.</summary>
    public int Column { get; }

    /// <summary>What is wrong, usually phrased "expected X, found Y".</summary>
    public string Message { get; }

    /// <summary>The rule's sid when the parser got as far as reading it.</summary>
    public uint? Sid { get; }

    /// <summary><c>file:line:column: message</c>, the form <c>visibility rules check</c> prints.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
