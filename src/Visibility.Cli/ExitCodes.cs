namespace Visibility.Cli;

/// <summary>Process exit codes (documented in <c>--help</c> and README).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad command line or an output that cannot be created.</summary>
    public const int Usage = 1;

    /// <summary>An input file is missing, unreadable, not a capture, or damaged (everything before the damage is processed).</summary>
    public const int InputError = 2;
}
