namespace Visibility.IkePeer.Tests.Interop;

/// <summary>A fact that runs only as root with strongSwan (charon, swanctl), iproute2 and a TUN device present;
/// otherwise it is skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresStrongSwanFactAttribute : FactAttribute
{
    public RequiresStrongSwanFactAttribute()
    {
        if (StrongSwanLab.MissingPrerequisite() is { } reason)
        {
            Skip = reason;
        }
    }
}
