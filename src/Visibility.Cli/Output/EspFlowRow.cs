using Visibility.Wire;

namespace Visibility.Cli.Output;

/// <summary>One row of the summary's ESP table, copied out of a flow when it ends.</summary>
internal sealed record EspFlowRow(
    NetworkAddress Source,
    NetworkAddress Destination,
    uint Spi,
    EspEncapsulation Encapsulation,
    ushort SourcePort,
    ushort DestinationPort,
    long Packets,
    long Bytes,
    string Verdict,
    int? IcvLength,
    string? Mode,
    ulong IkeInitiatorSpi = 0,
    ulong IkeResponderSpi = 0,
    string? IkeLink = null);
