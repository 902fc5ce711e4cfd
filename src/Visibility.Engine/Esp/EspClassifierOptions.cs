namespace Visibility.Engine.Esp;

/// <summary>Thresholds of the ESP-NULL decision. The defaults are justified on <see cref="EspSaState"/>.</summary>
public sealed class EspClassifierOptions
{
    /// <summary>The defaults.</summary>
    public static EspClassifierOptions Default { get; } = new();

    /// <summary>Points one layout needs for a NULL verdict; a strong packet gives 2 points, a plausible one 1, and a
    /// packet that does not fit the layout resets it. Default 4: two strong packets, or four plausible ones.</summary>
    public int ConfirmPoints { get; init; } = 4;

    /// <summary>Packets fitting no layout before an encrypted verdict, plus two for every strong packet seen while
    /// probing. Default 2.</summary>
    public int EncryptedAfter { get; init; } = 2;

    /// <summary>Consecutive packets of a NULL SA that do not fit its layout before it is probed again. Default 2: RFC
    /// 5879 §6 warns against treating single failures as SA reuse.</summary>
    public int ReprobeAfter { get; init; } = 2;

    /// <summary>An encrypted SA is probed again every this many packets (RFC 5879 §6: the SPI may be reused by a
    /// new SA). Default 64.</summary>
    public int RecheckInterval { get; init; } = 64;

    /// <summary>Packets probed before an undecided SA becomes <see cref="EspSaVerdict.Unsure"/>. Default 32.</summary>
    public int ProbeLimit { get; init; } = 32;

    /// <summary>An unsure SA probes every this many packets. Default 8.</summary>
    public int UnsureProbeInterval { get; init; } = 8;

    /// <summary>Throws when a threshold is below 1.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ConfirmPoints, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(EncryptedAfter, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReprobeAfter, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(RecheckInterval, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ProbeLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(UnsureProbeInterval, 1);
    }
}
