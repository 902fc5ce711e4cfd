using Visibility.Engine.Ike;
using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Tests.Ike.Support;

/// <summary>A copy of an IKE SA at its end (the object is pooled and reused afterwards).</summary>
internal sealed record IkeSaSnapshot(
    ulong InitiatorSpi,
    ulong ResponderSpi,
    NetworkAddress Initiator,
    NetworkAddress Responder,
    IkeSaState State,
    string Outcome,
    IkeSaEnd End,
    IkeChildSa[] Children,
    string? InitiatorId,
    string? ResponderId,
    AuthMethod InitiatorAuthMethod,
    AuthMethod ResponderAuthMethod,
    bool InitiatorUsedEap,
    bool EapOnly,
    byte EapType,
    ulong RekeyedFrom,
    ulong RekeyedTo,
    bool RekeyInferred,
    string? RedirectedTo,
    string? RedirectedFrom,
    ulong RedirectedFromSa,
    long Messages,
    long Retransmissions,
    long DecryptedMessages,
    int CookieRetries,
    int InvalidKeRetries,
    IkeTicketState Ticket,
    bool Resumed,
    int QcdTokens,
    bool PeerLostState,
    bool? QcdTokenMatched,
    bool MessageIdSyncSupported,
    int MessageIdSyncs,
    int ReplayCounterSyncs,
    int FailoverSigns,
    bool Wesp,
    bool EstablishedByDecryption,
    bool Midstream,
    int OfferedTransforms,
    int ChosenTransforms,
    IkeEvents Events)
{
    public static IkeSaSnapshot From(IkeSa sa) => new(
        sa.InitiatorSpi,
        sa.ResponderSpi,
        sa.Initiator,
        sa.Responder,
        sa.State,
        IkeTrackerNames.Outcome(sa.State, sa.End),
        sa.End,
        sa.ChildSas.ToArray(),
        sa.InitiatorId.IsSet ? Text(sa.InitiatorId) : null,
        sa.ResponderId.IsSet ? Text(sa.ResponderId) : null,
        sa.InitiatorAuthMethod,
        sa.ResponderAuthMethod,
        sa.InitiatorUsedEap,
        sa.EapOnly,
        sa.EapType,
        sa.RekeyedFrom,
        sa.RekeyedTo,
        sa.RekeyInferred,
        sa.RedirectedTo.IsSet ? Text(sa.RedirectedTo) : null,
        sa.RedirectedFrom.IsSet ? Text(sa.RedirectedFrom) : null,
        sa.RedirectedFromSa,
        sa.Messages,
        sa.Retransmissions,
        sa.DecryptedMessages,
        sa.CookieRetries,
        sa.InvalidKeRetries,
        sa.Ticket,
        sa.Resumed,
        sa.QcdTokens,
        sa.PeerLostState,
        sa.QcdTokenMatched,
        sa.MessageIdSyncSupported,
        sa.MessageIdSyncs,
        sa.ReplayCounterSyncs,
        sa.FailoverSigns,
        sa.Wesp,
        sa.EstablishedByDecryption,
        sa.Midstream,
        sa.Offered.Count,
        sa.Chosen.Count,
        sa.Events);

    public static string Text(in IkeIdentity identity)
    {
        Span<char> text = stackalloc char[1024];
        return identity.TryFormat(text, out int n) ? new string(text[..n]) : "?";
    }
}
