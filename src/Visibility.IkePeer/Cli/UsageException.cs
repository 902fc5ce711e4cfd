namespace Visibility.IkePeer.Cli;

/// <summary>Bad command line: exit status 1 with the message on standard error.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
