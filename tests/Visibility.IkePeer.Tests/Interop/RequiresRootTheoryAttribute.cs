namespace Visibility.IkePeer.Tests.Interop;

/// <summary>A theory that needs root on Linux (raw IP sockets of protocols 50 and 141); otherwise skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRootTheoryAttribute : TheoryAttribute
{
    public RequiresRootTheoryAttribute()
    {
        if (RequiresRootFactAttribute.MissingReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
