using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>What the tracker learned from one IKE datagram, handed to <see cref="Events.IEventSink.OnIkeMessage"/>
/// (EVE <c>ike</c>). One instance per tracker, refilled per message: valid only during the call.</summary>
public sealed class IkeMessageRecord
{
    /// <summary>The IKE header and the clear payload chain.</summary>
    public IkeMessageSummary Summary;

    /// <summary>The inner payload chain, valid when <see cref="Decryption"/> is <see cref="IkeDecryption.Decrypted"/>
    /// (for fragments: the whole reassembled message).</summary>
    public IkePayloadSummary Inner;

    /// <summary>The first REDIRECT (or else REDIRECTED_FROM) gateway identity of the message, clear or inner.</summary>
    public IkeIdentity RedirectGateway;

    /// <summary>The first QCD token of the message, clear or inner (bytes only).</summary>
    public IkeIdentity QcdToken;

    public IkeDecryption Decryption { get; internal set; }

    public IkeEvents Events { get; internal set; }

    /// <summary>The SA the message belongs to (null for IKEv1 and unparsable versions).</summary>
    public IkeSa? Sa { get; internal set; }

    /// <summary><see cref="IkeNotifyType.Redirect"/>, <see cref="IkeNotifyType.RedirectedFrom"/> or None.</summary>
    public IkeNotifyType RedirectNotify { get; internal set; }

    public int QcdTokens { get; internal set; }

    /// <summary>EAP of the message (inner when decrypted, else clear).</summary>
    public bool HasEap { get; internal set; }

    public EapCode EapCode { get; internal set; }

    public byte EapIdentifier { get; internal set; }

    public byte EapType { get; internal set; }

    /// <summary>The message as EVE reports <c>decrypted</c>: null without SK/SKF, else whether keys decrypted it.</summary>
    public bool? IsDecrypted => Decryption switch
    {
        IkeDecryption.NotEncrypted => null,
        IkeDecryption.Decrypted => true,
        _ => false,
    };

    internal void Clear()
    {
        Decryption = IkeDecryption.NotEncrypted;
        Events = IkeEvents.None;
        Sa = null;
        RedirectNotify = IkeNotifyType.None;
        RedirectGateway.Clear();
        QcdToken.Clear();
        QcdTokens = 0;
        HasEap = false;
        EapCode = EapCode.None;
        EapIdentifier = 0;
        EapType = 0;
    }
}
