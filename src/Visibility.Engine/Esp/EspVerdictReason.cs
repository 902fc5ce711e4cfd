namespace Visibility.Engine.Esp;

/// <summary>Why an SA's verdict was set: the EVE <c>esp.reason</c> (stable names in <see cref="EspNames.Reason"/>).</summary>
/// <remarks>Values are stable: append, never renumber.</remarks>
public enum EspVerdictReason : byte
{
    None = 0,
    /// <summary>"null_confirmed": one layout fitted several packets with verified inner headers.</summary>
    NullConfirmed = 1,
    /// <summary>"encrypted_no_fit": packets fit no ESP-NULL layout.</summary>
    EncryptedNoFit = 2,
    /// <summary>"null_stopped_fitting": a NULL SA's packets stopped fitting its layout; probing again.</summary>
    NullStoppedFitting = 3,
    /// <summary>"null_after_recheck": a periodic re-check of an encrypted SA found ESP-NULL.</summary>
    NullAfterRecheck = 4,
    /// <summary>"probe_limit": no decision within the probe limit; now sampling (the verdict stays unknown).</summary>
    ProbeLimit = 5,
    /// <summary>"wesp_integrity_only": the WESP header says E = 0.</summary>
    WespIntegrityOnly = 6,
    /// <summary>"wesp_encrypted": the WESP header says E = 1.</summary>
    WespEncrypted = 7,
    /// <summary>"wesp_layout_changed": the WESP HdrLen or TrailerLen changed within the SA.</summary>
    WespLayoutChanged = 8,
    /// <summary>"negotiated": a decrypted IKE_AUTH or CREATE_CHILD_SA negotiated this SPI with a known transform.</summary>
    Negotiated = 9,
    /// <summary>"key_file": an <c>esp_sa</c> key file names this SA's transform.</summary>
    KeyFile = 10,
}
