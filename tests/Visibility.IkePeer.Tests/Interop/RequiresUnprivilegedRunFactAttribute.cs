using System.Diagnostics;

namespace Visibility.IkePeer.Tests.Interop;

/// <summary>A fact that runs visibility-peer as the user nobody: needs root (for runuser) and a build output nobody can
/// read; otherwise skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresUnprivilegedRunFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> s_missing = new(() =>
    {
        if (RequiresRootFactAttribute.MissingReason() is { } reason)
        {
            return reason;
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo("runuser", ["-u", "nobody", "--", "test", "-r", Path.Combine(AppContext.BaseDirectory, "visibility-peer.dll")]))!;
            probe.WaitForExit(10000);
            return probe.ExitCode == 0 ? null : "the user nobody cannot read the build output";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"runuser: {e.Message}";
        }
    });

    public RequiresUnprivilegedRunFactAttribute()
    {
        if (s_missing.Value is { } reason)
        {
            Skip = reason;
        }
    }
}
