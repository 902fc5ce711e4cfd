namespace Visibility.Engine.Esp;

/// <summary>Stable EVE names for the ESP classifier's values (<c>esp.verdict</c>, <c>esp.mode</c>, <c>esp.reason</c>).</summary>
public static class EspNames
{
    /// <summary>"null", "encrypted", or "unknown" for every undecided state.</summary>
    public static string Verdict(EspSaVerdict verdict) => verdict switch
    {
        EspSaVerdict.Null => "null",
        EspSaVerdict.Encrypted => "encrypted",
        _ => "unknown",
    };

    /// <summary>"tunnel", "transport", or null when not known.</summary>
    public static string? Mode(EspMode mode) => mode switch
    {
        EspMode.Tunnel => "tunnel",
        EspMode.Transport => "transport",
        _ => null,
    };

    /// <summary>The snake_case name of a reason.</summary>
    public static string Reason(EspVerdictReason reason) => reason switch
    {
        EspVerdictReason.NullConfirmed => "null_confirmed",
        EspVerdictReason.EncryptedNoFit => "encrypted_no_fit",
        EspVerdictReason.NullStoppedFitting => "null_stopped_fitting",
        EspVerdictReason.NullAfterRecheck => "null_after_recheck",
        EspVerdictReason.ProbeLimit => "probe_limit",
        EspVerdictReason.WespIntegrityOnly => "wesp_integrity_only",
        EspVerdictReason.WespEncrypted => "wesp_encrypted",
        EspVerdictReason.WespLayoutChanged => "wesp_layout_changed",
        EspVerdictReason.Negotiated => "negotiated",
        EspVerdictReason.KeyFile => "key_file",
        _ => "none",
    };
}
