namespace Visibility.Engine.Esp;

/// <summary>The ICV and IV lengths of each <see cref="EspLayout"/>, and the probe order.</summary>
public static class EspLayouts
{
    /// <summary>Number of candidate layouts (all values of <see cref="EspLayout"/> but <see cref="EspLayout.None"/>).</summary>
    public const int Count = 6;

    /// <summary>The candidates in probe order: shortest ICV first (RFC 5879 §8.2), GMAC after the plain 16-octet ICV
    /// as in RFC 5879 App. A.2 (Try128 then TryGMAC), no ICV last.</summary>
    public static ReadOnlySpan<EspLayout> ProbeOrder =>
        [EspLayout.Icv12, EspLayout.Icv16, EspLayout.Gmac, EspLayout.Icv24, EspLayout.Icv32, EspLayout.Icv0];

    public static int IcvLength(EspLayout layout) => layout switch
    {
        EspLayout.Icv12 => 12,
        EspLayout.Icv16 or EspLayout.Gmac => 16,
        EspLayout.Icv24 => 24,
        EspLayout.Icv32 => 32,
        _ => 0,
    };

    public static int IvLength(EspLayout layout) => layout == EspLayout.Gmac ? 8 : 0;

    /// <summary>0-based index in <see cref="ProbeOrder"/>; -1 for <see cref="EspLayout.None"/>.</summary>
    internal static int Index(EspLayout layout) => (int)layout - 1;

    internal static EspLayout FromIndex(int index) => (EspLayout)(index + 1);
}
