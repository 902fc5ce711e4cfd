namespace Visibility.Captures.Tests.Ike;

/// <summary>The exit codes the replay command documents (contract: 2 for unreadable or invalid input).</summary>
internal static class ExitCodesForTests
{
    public const int InputError = 2;
}
