namespace Visibility.IkePeer.Tests.Interop;

/// <summary>A theory that needs the <see cref="RawEspLab"/> (root, iproute2, tcpdump, tshark); otherwise skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRawEspLabTheoryAttribute : TheoryAttribute
{
    public RequiresRawEspLabTheoryAttribute()
    {
        if (RawEspLab.MissingPrerequisite() is { } reason)
        {
            Skip = reason;
        }
    }
}
