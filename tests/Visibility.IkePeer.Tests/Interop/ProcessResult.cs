namespace Visibility.IkePeer.Tests.Interop;

/// <summary>Exit status and output of a finished child process.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
