namespace Visibility.Cli.Capture;

/// <summary>A capture source could not be opened or configured; the message is one line for the user and
/// <see cref="ExitCode"/> is what the process returns.</summary>
internal sealed class CaptureException : Exception
{
    public CaptureException()
    {
    }

    public CaptureException(string message)
        : base(message)
    {
    }

    public CaptureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CaptureException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public int ExitCode { get; } = ExitCodes.InputError;
}
