namespace Visibility.Engine.Esp;

/// <summary>What the sensor believes about one ESP SA (RFC 5879 §4 states, plus the steps before a decision).</summary>
/// <remarks>EVE <c>esp.verdict</c>: <see cref="Null"/> is "null", <see cref="Encrypted"/> is "encrypted", the rest
/// "unknown" (see <see cref="EspNames.Verdict"/>).</remarks>
public enum EspSaVerdict : byte
{
    /// <summary>No packet classified yet.</summary>
    Unknown = 0,
    /// <summary>Every whole packet is probed; evidence is being collected.</summary>
    Probing = 1,
    /// <summary>ESP-NULL (integrity only): packets are checked at the known layout and sliced.</summary>
    Null = 2,
    /// <summary>Encrypted: packets are skipped, with an occasional re-check.</summary>
    Encrypted = 3,
    /// <summary>No decision after the probe limit (RFC 5879 "unsure"): probing continues on a sample of packets.</summary>
    Unsure = 4,
}
