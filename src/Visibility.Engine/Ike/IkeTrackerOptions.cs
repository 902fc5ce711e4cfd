using Visibility.Wire.Ike.Keys;

namespace Visibility.Engine.Ike;

/// <summary>Limits, timeouts and keys of the IKE tracker. Times are packet time.</summary>
public sealed record IkeTrackerOptions
{
    /// <summary>Most IKE SAs held at once; beyond it the least recently active is ended early ("evicted"),
    /// half-open SAs first. An SA object takes about 7 KiB (allocated when first needed, then pooled).</summary>
    public int Capacity { get; init; } = 1 << 15;

    /// <summary>A half-open SA idle this long is ended ("timed_out").</summary>
    public TimeSpan HalfOpenTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>An established SA with no IKE message and no ESP packet of a linked flow for this long is ended.</summary>
    public TimeSpan EstablishedTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long an SA in a terminal state is kept for late retransmissions before its record is written.</summary>
    public TimeSpan TerminalLinger { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Without keys, new SPIs between two peers within this time of a CREATE_CHILD_SA response of their
    /// established SA are taken as that SA's rekey.</summary>
    public TimeSpan RekeyInferenceWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A request whose Message ID is more than this above the sender's previous one is a "message_id_jump".</summary>
    public uint MessageIdJump { get; init; } = 64;

    /// <summary>IKE fragment messages (RFC 7383) reassembled at once.</summary>
    public int FragmentSlots { get; init; } = 16;

    /// <summary>Rows of Wireshark's <c>ikev2_decryption_table</c>: IKE SAs that can be decrypted.</summary>
    public IReadOnlyList<IkeKeyTableEntry> IkeKeys { get; init; } = [];

    /// <summary>Rows of Wireshark's <c>esp_sa</c>: ESP SAs whose transform is known for certain.</summary>
    public IReadOnlyList<EspSaEntry> EspKeys { get; init; } = [];
}
