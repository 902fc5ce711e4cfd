namespace Visibility.Wire.Ike.Keys;

/// <summary>A key file that cannot be used. The message starts with <c>file:line:</c> (or the source name given
/// to the parser) and says what is wrong.</summary>
public sealed class KeyFileException : Exception
{
    public KeyFileException()
    {
    }

    public KeyFileException(string message)
        : base(message)
    {
    }

    public KeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KeyFileException(string source, int lineNumber, string message)
        : base($"{source}:{lineNumber}: {message}")
    {
        FileName = source;
        LineNumber = lineNumber;
    }

    /// <summary>The file (or source name) of the error; null when not tied to a file.</summary>
    public string? FileName { get; }

    /// <summary>1-based line of the error; 0 when the error is not tied to a line.</summary>
    public int LineNumber { get; }
}
