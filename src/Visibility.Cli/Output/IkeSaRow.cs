using Visibility.Wire;

namespace Visibility.Cli.Output;

/// <summary>One row of the summary's IKE table, copied out of an SA when its record is written.</summary>
internal sealed record IkeSaRow(
    NetworkAddress Initiator,
    NetworkAddress Responder,
    ulong InitiatorSpi,
    ulong ResponderSpi,
    string State,
    string Outcome,
    string? AuthMethod,
    string? InitiatorId,
    int ChildSas,
    long Messages,
    long Retransmissions,
    bool Decrypted,
    ulong RekeyedFrom,
    string? RedirectedTo);
