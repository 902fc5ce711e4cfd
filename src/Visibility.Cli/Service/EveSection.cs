namespace Visibility.Cli.Service;

/// <summary><c>Eve:*</c>: the EVE JSON output.</summary>
internal sealed class EveSection
{
    /// <summary>EVE file path; null writes no EVE.</summary>
    public string? Path { get; set; }

    /// <summary>Start a new file once the current one holds this many bytes (PATH.1, PATH.2, ...); null never.</summary>
    public long? RotateBytes { get; set; }

    /// <summary>Rotated files kept.</summary>
    public int RotateKeep { get; set; } = 10;
}
