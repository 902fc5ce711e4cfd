namespace Visibility.IkePeer.Tests.Interop;

/// <summary>The theory form of <see cref="RequiresStrongSwanFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresStrongSwanTheoryAttribute : TheoryAttribute
{
    public RequiresStrongSwanTheoryAttribute()
    {
        if (StrongSwanLab.MissingPrerequisite() is { } reason)
        {
            Skip = reason;
        }
    }
}
