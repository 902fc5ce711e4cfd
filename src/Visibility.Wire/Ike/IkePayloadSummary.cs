using System.Diagnostics.CodeAnalysis;

namespace Visibility.Wire.Ike;

/// <summary>What one IKEv2 payload chain says, gathered in one pass without allocating: payload types in wire order,
/// notify types, the first REDIRECT/REDIRECTED_FROM gateway, QCD tokens, EAP, KE group, SK/SKF position.</summary>
/// <remarks>
/// Used for the clear payloads of a message (<see cref="IkeMessageSummary.Payloads"/>) and, after decryption,
/// for the inner chain (<see cref="Read"/> on the plaintext). All state lives in fixed-size inline buffers, so
/// the struct can sit in a preallocated slot and be refilled per message. Offsets are relative to the buffer
/// given to <see cref="Read"/> (the whole message, IKE header first, for the clear part).
/// Malformed input never throws: the walk stops or skips, and the first problem is in <see cref="Anomaly"/>:
/// chain problems as <see cref="DecodeAnomaly.IkePayloadBadLength"/>, <see cref="DecodeAnomaly.IkePayloadTruncated"/>,
/// <see cref="DecodeAnomaly.IkeChainUnterminated"/>, <see cref="DecodeAnomaly.IkeTrailingData"/>; a payload body
/// or notification data that the summary reads and finds inconsistent as <see cref="DecodeAnomaly.IkeMalformed"/>.
/// </remarks>
public struct IkePayloadSummary
{
    /// <summary>Payload types (and offsets) kept per chain; more set <see cref="PayloadsOverflowed"/>.</summary>
    public const int MaxPayloads = 32;

    /// <summary>Notify types (and offsets) kept per chain; more set <see cref="NotifiesOverflowed"/>.</summary>
    public const int MaxNotifies = 32;

    private IkePayloadTypeBuffer _payloadTypes;
    private IkeOffsetBuffer _payloadOffsets;
    private IkeNotifyTypeBuffer _notifyTypes;
    private IkeOffsetBuffer _notifyOffsets;
    private IkeGatewayIdentityBuffer _redirectGateway;

    /// <summary>Payloads kept in <see cref="PayloadTypes"/> (at most <see cref="MaxPayloads"/>).</summary>
    public int PayloadCount { readonly get; private set; }

    /// <summary>All payloads walked, including those beyond <see cref="MaxPayloads"/>.</summary>
    public int TotalPayloadCount { readonly get; private set; }

    public readonly bool PayloadsOverflowed => TotalPayloadCount > PayloadCount;

    /// <summary>Notify payloads kept in <see cref="NotifyTypes"/> (at most <see cref="MaxNotifies"/>).</summary>
    public int NotifyCount { readonly get; private set; }

    public int TotalNotifyCount { readonly get; private set; }

    public readonly bool NotifiesOverflowed => TotalNotifyCount > NotifyCount;

    /// <summary>How the chain walk ended.</summary>
    public IkeChainStatus ChainStatus { readonly get; private set; }

    /// <summary>The first problem found, or <see cref="DecodeAnomaly.None"/>.</summary>
    public DecodeAnomaly Anomaly { readonly get; private set; }

    /// <summary>True when a KE payload was seen; <see cref="KeyExchangeGroup"/> is the group of the first one.</summary>
    public bool HasKeyExchange { readonly get; private set; }

    public DhGroup KeyExchangeGroup { readonly get; private set; }

    /// <summary>The group accepted by the responder in the first INVALID_KE_PAYLOAD, or <see cref="DhGroup.None"/>.</summary>
    public DhGroup InvalidKeAcceptedGroup { readonly get; private set; }

    /// <summary><see cref="IkeNotifyType.Redirect"/> or <see cref="IkeNotifyType.RedirectedFrom"/> for the first well-formed
    /// one of either in the chain; <see cref="IkeNotifyType.None"/> when there is none.</summary>
    public IkeNotifyType RedirectNotify { readonly get; private set; }

    public GatewayIdentityType RedirectGatewayType { readonly get; private set; }

    /// <summary>Octets of nonce data after the gateway identity (Ni echoed in an IKE_SA_INIT REDIRECT).</summary>
    public int RedirectNonceLength { readonly get; private set; }

    /// <summary>Offset of the Notify payload that carried the redirect.</summary>
    public int RedirectOffset { readonly get; private set; }

    private int RedirectGatewayLength { readonly get; set; }

    /// <summary>QUICK_CRASH_DETECTION notifies in the chain.</summary>
    public int QcdTokenCount { readonly get; private set; }

    /// <summary>Offset and length of the first QCD token's data.</summary>
    public int QcdTokenOffset { readonly get; private set; }

    public int QcdTokenLength { readonly get; private set; }

    /// <summary>True when an EAP payload was seen; the fields below describe the first one.</summary>
    public bool HasEap { readonly get; private set; }

    public EapCode EapCode { readonly get; private set; }

    public byte EapIdentifier { readonly get; private set; }

    /// <summary>EAP method type for Request/Response, 0 otherwise.</summary>
    public byte EapType { readonly get; private set; }

    /// <summary><see cref="IkePayloadType.Encrypted"/> (SK), <see cref="IkePayloadType.EncryptedFragment"/> (SKF), or None.</summary>
    public IkePayloadType EncryptedPayloadType { readonly get; private set; }

    public readonly bool HasEncrypted => EncryptedPayloadType != IkePayloadType.None;

    /// <summary>Offset of the SK/SKF generic header (the AEAD associated data ends after it, or after SKF's fragment fields).</summary>
    public int EncryptedOffset { readonly get; private set; }

    /// <summary>Length of the SK/SKF payload, generic header included.</summary>
    public int EncryptedLength { readonly get; private set; }

    /// <summary>SK/SKF Next Payload: the first inner payload (0 in SKF fragments after the first).</summary>
    public IkePayloadType EncryptedFirstPayload { readonly get; private set; }

    /// <summary>SKF Fragment Number (RFC 7383), 0 without SKF.</summary>
    public ushort FragmentNumber { readonly get; private set; }

    /// <summary>SKF Total Fragments, 0 without SKF.</summary>
    public ushort TotalFragments { readonly get; private set; }

    /// <summary>The payload types in wire order (the first <see cref="MaxPayloads"/>).</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<IkePayloadType> PayloadTypes => ((ReadOnlySpan<IkePayloadType>)_payloadTypes)[..PayloadCount];

    /// <summary>Offset of each payload in <see cref="PayloadTypes"/>.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<int> PayloadOffsets => ((ReadOnlySpan<int>)_payloadOffsets)[..PayloadCount];

    /// <summary>The Notify Message Types in wire order (the first <see cref="MaxNotifies"/>).</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<IkeNotifyType> NotifyTypes => ((ReadOnlySpan<IkeNotifyType>)_notifyTypes)[..NotifyCount];

    /// <summary>Offset of each Notify payload in <see cref="NotifyTypes"/>.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<int> NotifyOffsets => ((ReadOnlySpan<int>)_notifyOffsets)[..NotifyCount];

    /// <summary>The redirect gateway identity octets (copied, valid after the message buffer is gone).</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> RedirectGatewayIdentity => ((ReadOnlySpan<byte>)_redirectGateway)[..RedirectGatewayLength];

    public readonly bool ContainsPayload(IkePayloadType type) => PayloadTypes.Contains(type);

    public readonly bool ContainsNotify(IkeNotifyType type) => NotifyTypes.Contains(type);

    /// <summary>The redirect gateway as text (IP address or FQDN); false without a redirect or when the buffer is too small.</summary>
    public readonly bool TryFormatRedirectGateway(Span<char> destination, out int charsWritten)
    {
        if (RedirectNotify == IkeNotifyType.None)
        {
            charsWritten = 0;
            return false;
        }
        return IkeRedirectData.FormatGateway(RedirectGatewayType, RedirectGatewayIdentity, destination, out charsWritten);
    }

    /// <summary>Walks the chain that starts at <paramref name="start"/> in <paramref name="buffer"/> with a payload of
    /// type <paramref name="first"/> and must end at the end of the buffer.</summary>
    public static void Read(ReadOnlySpan<byte> buffer, int start, IkePayloadType first, out IkePayloadSummary summary)
    {
        summary = default;
        summary.ReadInto(buffer, start, first);
    }

    /// <summary>Fills a summary that is already zeroed (saves clearing the inline buffers twice when the caller's
    /// storage was just cleared, as in <see cref="IkeMessageSummary.TryRead"/>).</summary>
    internal void ReadInto(ReadOnlySpan<byte> buffer, int start, IkePayloadType first)
    {
        var reader = new IkePayloadReader(buffer, start, first);
        while (reader.TryReadNext(out IkePayload payload))
        {
            Add(payload, buffer);
        }
        ChainStatus = reader.Status;
        Flag(reader.Status switch
        {
            IkeChainStatus.PayloadTooShort => DecodeAnomaly.IkePayloadBadLength,
            IkeChainStatus.PayloadTruncated => DecodeAnomaly.IkePayloadTruncated,
            IkeChainStatus.Unterminated => DecodeAnomaly.IkeChainUnterminated,
            IkeChainStatus.TrailingData => DecodeAnomaly.IkeTrailingData,
            _ => DecodeAnomaly.None,
        });
    }

    private void Add(IkePayload payload, ReadOnlySpan<byte> buffer)
    {
        if (PayloadCount < MaxPayloads)
        {
            _payloadTypes[PayloadCount] = payload.Type;
            _payloadOffsets[PayloadCount] = payload.Offset;
            PayloadCount++;
        }
        TotalPayloadCount++;
        switch (payload.Type)
        {
            case IkePayloadType.Notify:
                AddNotify(payload, buffer);
                break;
            case IkePayloadType.KeyExchange:
                if (!IkeKeyExchangePayload.TryRead(payload.Body, out IkeKeyExchangePayload ke))
                {
                    Flag(DecodeAnomaly.IkeMalformed);
                }
                else if (!HasKeyExchange)
                {
                    HasKeyExchange = true;
                    KeyExchangeGroup = ke.DhGroup;
                }
                break;
            case IkePayloadType.Eap:
                if (!IkeEapPayload.TryRead(payload.Body, out IkeEapPayload eap))
                {
                    Flag(DecodeAnomaly.IkeMalformed);
                }
                else if (!HasEap)
                {
                    HasEap = true;
                    EapCode = eap.Code;
                    EapIdentifier = eap.Identifier;
                    EapType = eap.Type;
                }
                break;
            case IkePayloadType.Encrypted:
                EncryptedPayloadType = IkePayloadType.Encrypted;
                EncryptedOffset = payload.Offset;
                EncryptedLength = payload.Length;
                EncryptedFirstPayload = payload.NextPayload;
                break;
            case IkePayloadType.EncryptedFragment:
                EncryptedPayloadType = IkePayloadType.EncryptedFragment;
                EncryptedOffset = payload.Offset;
                EncryptedLength = payload.Length;
                EncryptedFirstPayload = payload.NextPayload;
                if (IkeEncryptedFragmentPayload.TryRead(payload.Bytes, out IkeEncryptedFragmentPayload skf))
                {
                    FragmentNumber = skf.FragmentNumber;
                    TotalFragments = skf.TotalFragments;
                    if (!skf.AreNumbersValid)
                    {
                        Flag(DecodeAnomaly.IkeMalformed);
                    }
                }
                else
                {
                    Flag(DecodeAnomaly.IkeMalformed);
                }
                break;
        }
    }

    private void AddNotify(IkePayload payload, ReadOnlySpan<byte> buffer)
    {
        if (!IkeNotifyPayload.TryRead(payload.Body, out IkeNotifyPayload notify))
        {
            Flag(DecodeAnomaly.IkeMalformed);
            return;
        }
        IkeNotifyType type = notify.NotifyType;
        if (NotifyCount < MaxNotifies)
        {
            _notifyTypes[NotifyCount] = type;
            _notifyOffsets[NotifyCount] = payload.Offset;
            NotifyCount++;
        }
        TotalNotifyCount++;
        ReadOnlySpan<byte> data = notify.Data;
        switch (type)
        {
            case IkeNotifyType.Redirect:
            case IkeNotifyType.RedirectedFrom:
                if (!IkeRedirectData.TryRead(data, out IkeRedirectData redirect))
                {
                    Flag(DecodeAnomaly.IkeMalformed);
                }
                else if (RedirectNotify == IkeNotifyType.None)
                {
                    RedirectNotify = type;
                    RedirectGatewayType = redirect.GatewayIdentityType;
                    RedirectNonceLength = redirect.Nonce.Length;
                    RedirectOffset = payload.Offset;
                    redirect.GatewayIdentity.CopyTo(_redirectGateway);
                    RedirectGatewayLength = redirect.GatewayIdentity.Length;
                }
                break;
            case IkeNotifyType.QuickCrashDetection:
                if (!IkeQcdTokenData.TryRead(data, out IkeQcdTokenData token))
                {
                    Flag(DecodeAnomaly.IkeMalformed);
                }
                else if (QcdTokenCount++ == 0)
                {
                    QcdTokenOffset = OffsetOf(buffer, token.Token);
                    QcdTokenLength = token.Token.Length;
                }
                break;
            case IkeNotifyType.InvalidKePayload:
                if (!IkeInvalidKePayloadData.TryRead(data, out IkeInvalidKePayloadData invalidKe))
                {
                    Flag(DecodeAnomaly.IkeMalformed);
                }
                else if (InvalidKeAcceptedGroup == DhGroup.None)
                {
                    InvalidKeAcceptedGroup = invalidKe.AcceptedGroup;
                }
                break;
        }
    }

    /// <summary>Offset of <paramref name="part"/>, a slice of <paramref name="buffer"/>, within it.</summary>
    private static int OffsetOf(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> part) =>
        buffer.Overlaps(part, out int offset) ? offset : 0;

    private void Flag(DecodeAnomaly anomaly)
    {
        if (Anomaly == DecodeAnomaly.None)
        {
            Anomaly = anomaly;
        }
    }
}
