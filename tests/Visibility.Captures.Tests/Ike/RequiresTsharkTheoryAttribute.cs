namespace Visibility.Captures.Tests.Ike;

/// <summary>A theory that runs tshark itself; skipped, with the reason, where tshark is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresTsharkTheoryAttribute : TheoryAttribute
{
    public RequiresTsharkTheoryAttribute()
    {
        if (Tshark.Path is null)
        {
            Skip = "tshark is not installed (package tshark)";
        }
    }
}
