namespace Visibility.Cli.Output;

/// <summary>An output (EVE, inner packets) could not be created; the message is the one line to print.</summary>
internal sealed class OutputException : Exception
{
    public OutputException()
    {
    }

    public OutputException(string message)
        : base(message)
    {
    }

    public OutputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
