namespace Visibility.Engine.Inspection.Parsing;

/// <summary>A rule text error at a position of the logical rule line. Thrown inside the parser and caught per
/// rule, which becomes a <see cref="RuleError"/>; it never leaves <see cref="RuleParser"/>.</summary>
internal sealed class RuleSyntaxException : Exception
{
    public RuleSyntaxException()
    {
    }

    public RuleSyntaxException(string message)
        : base(message)
    {
    }

    public RuleSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RuleSyntaxException(int offset, string message)
        : base(message) => Offset = offset;

    /// <summary>Offset into the logical rule text.</summary>
    public int Offset { get; }
}
