namespace Visibility.IkePeer.Tests.Interop;

/// <summary>A fact that needs root on Linux (raw IP sockets of protocols 50 and 141); otherwise skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRootFactAttribute : FactAttribute
{
    public RequiresRootFactAttribute()
    {
        if (MissingReason() is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Why raw ESP cannot run here, or null when it can.</summary>
    public static string? MissingReason() =>
        !OperatingSystem.IsLinux() ? "raw IP sockets of protocols 50/141 are implemented for Linux only"
        : !Environment.IsPrivilegedProcess ? "raw IP sockets (--esp-transport raw) need root"
        : null;
}
