using Visibility.Engine.Ike;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Tests.Ike.Support;

/// <summary>A copy of what the sink saw of one IKE message (the record object is reused per message).</summary>
internal sealed record IkeMessageSnapshot(
    int Version,
    IkeExchangeType Exchange,
    bool Response,
    uint MessageId,
    bool? Decrypted,
    IkeDecryption Decryption,
    IkePayloadType[] Payloads,
    IkePayloadType[] InnerPayloads,
    IkeNotifyType[] InnerNotifies,
    IkeEvents Events,
    IkeSaState SaState,
    IkeNotifyType RedirectNotify,
    string? RedirectGateway,
    int QcdTokens,
    EapCode EapCode,
    byte EapType)
{
    public static IkeMessageSnapshot None { get; } = new(0, IkeExchangeType.None, false, 0, null, IkeDecryption.NotEncrypted, [], [], [],
        IkeEvents.None, IkeSaState.None, IkeNotifyType.None, null, 0, EapCode.None, 0);

    public static IkeMessageSnapshot From(IkeMessageRecord record)
    {
        bool decrypted = record.Decryption == IkeDecryption.Decrypted;
        return new IkeMessageSnapshot(
            record.Summary.MajorVersion,
            record.Summary.ExchangeType,
            record.Summary.IsResponse,
            record.Summary.MessageId,
            record.IsDecrypted,
            record.Decryption,
            record.Summary.Payloads.PayloadTypes.ToArray(),
            decrypted ? record.Inner.PayloadTypes.ToArray() : [],
            decrypted ? record.Inner.NotifyTypes.ToArray() : [],
            record.Events,
            record.Sa?.State ?? IkeSaState.None,
            record.RedirectNotify,
            record.RedirectNotify != IkeNotifyType.None ? IkeSaSnapshot.Text(record.RedirectGateway) : null,
            record.QcdTokens,
            record.EapCode,
            record.EapType);
    }
}
