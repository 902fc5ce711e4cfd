namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>A fact that is skipped, with the reason, when the machine lacks one of its prerequisites. The check runs
/// at discovery, so a skipped test shows up as skipped (not passed) in every runner.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(Prerequisite needs)
    {
        Needs = needs;
        if (Prerequisites.Missing(needs) is string reason)
        {
            Skip = reason;
        }
    }

    public Prerequisite Needs { get; }
}
