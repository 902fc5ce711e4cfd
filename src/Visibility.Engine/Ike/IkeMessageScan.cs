using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>What the payloads of one IKE message say, gathered from its clear chain and, when decrypted, its inner
/// chain: the facts the tracker applies to the SA. One instance per tracker, cleared per message (no allocation).</summary>
internal sealed class IkeMessageScan
{
    public const int MaxNotifies = 64;
    public const int MaxDeletedSpis = 16;

    private readonly IkeNotifyType[] _notifies = new IkeNotifyType[MaxNotifies];
    private readonly uint[] _deletedSpis = new uint[MaxDeletedSpis];

    public IkeIdentity InitiatorId;
    public IkeIdentity ResponderId;
    public IkeIdentity RedirectGateway;
    public IkeIdentity RedirectedFromGateway;

    /// <summary>The first QCD token (bytes only; the identity type is unused).</summary>
    public IkeIdentity QcdToken;

    /// <summary>The first SA payload's proposals and the first proposal's protocol and SPI.</summary>
    public IkeTransformList Transforms;

    public IkeTrafficRangeList InitiatorSelectors;
    public IkeTrafficRangeList ResponderSelectors;

    public IkeMessageFacts Facts;
    public int NotifyCount;
    public bool HasSa;
    public ProtocolId SaProtocol;
    public int SaSpiSize;
    public uint SaSpi32;
    public ulong SaSpi64;
    public bool HasInitiatorSelectors;
    public bool HasResponderSelectors;
    public bool HasInitiatorId;
    public bool HasResponderId;
    public AuthMethod AuthMethod;
    public EapCode EapCode;
    public byte EapIdentifier;
    public byte EapType;
    public bool HasRedirect;
    public bool HasRedirectedFrom;
    public int QcdTokens;
    public uint RekeySaSpi;
    public int DeletedSpiCount;

    /// <summary>A payload body that the scan reads did not parse (SA, TS, ID, AUTH, Delete, Notify data).</summary>
    public bool Malformed;

    public ReadOnlySpan<IkeNotifyType> Notifies => _notifies.AsSpan(0, NotifyCount);

    public ReadOnlySpan<uint> DeletedSpis => _deletedSpis.AsSpan(0, DeletedSpiCount);

    public bool Has(IkeNotifyType type) => Notifies.Contains(type);

    public void Clear()
    {
        InitiatorId.Clear();
        ResponderId.Clear();
        RedirectGateway.Clear();
        RedirectedFromGateway.Clear();
        QcdToken.Clear();
        Transforms.Clear();
        Facts = IkeMessageFacts.None;
        NotifyCount = 0;
        HasSa = false;
        SaProtocol = ProtocolId.None;
        SaSpiSize = 0;
        SaSpi32 = 0;
        SaSpi64 = 0;
        HasInitiatorSelectors = HasResponderSelectors = false;
        HasInitiatorId = HasResponderId = false;
        AuthMethod = AuthMethod.None;
        EapCode = EapCode.None;
        EapIdentifier = 0;
        EapType = 0;
        HasRedirect = HasRedirectedFrom = false;
        QcdTokens = 0;
        RekeySaSpi = 0;
        DeletedSpiCount = 0;
        Malformed = false;
    }

    /// <summary>Walks the chain starting at <paramref name="start"/> of <paramref name="buffer"/> (a whole message, or a
    /// decrypted SK body) and adds what it finds.</summary>
    public void Scan(ReadOnlySpan<byte> buffer, int start, IkePayloadType first)
    {
        var reader = new IkePayloadReader(buffer, start, first);
        while (reader.TryReadNext(out IkePayload payload))
        {
            ReadOnlySpan<byte> body = payload.Body;
            switch (payload.Type)
            {
                case IkePayloadType.SecurityAssociation:
                    ReadSa(body);
                    break;
                case IkePayloadType.IdentificationInitiator:
                case IkePayloadType.IdentificationResponder:
                    if (!IkeIdentificationPayload.TryRead(body, out IkeIdentificationPayload id))
                    {
                        Malformed = true;
                    }
                    else if (payload.Type == IkePayloadType.IdentificationInitiator)
                    {
                        HasInitiatorId = true;
                        InitiatorId.Set((byte)id.IdType, isGateway: false, id.Data);
                    }
                    else
                    {
                        HasResponderId = true;
                        ResponderId.Set((byte)id.IdType, isGateway: false, id.Data);
                    }
                    break;
                case IkePayloadType.Authentication:
                    if (!IkeAuthenticationPayload.TryRead(body, out IkeAuthenticationPayload auth))
                    {
                        Malformed = true;
                    }
                    else
                    {
                        Facts |= IkeMessageFacts.Auth;
                        AuthMethod = auth.AuthMethod;
                    }
                    break;
                case IkePayloadType.Notify:
                    ReadNotify(body);
                    break;
                case IkePayloadType.Delete:
                    ReadDelete(body);
                    break;
                case IkePayloadType.TrafficSelectorInitiator:
                    HasInitiatorSelectors = true;
                    Malformed |= !InitiatorSelectors.Read(body);
                    break;
                case IkePayloadType.TrafficSelectorResponder:
                    HasResponderSelectors = true;
                    Malformed |= !ResponderSelectors.Read(body);
                    break;
                case IkePayloadType.Eap:
                    if (IkeEapPayload.TryRead(body, out IkeEapPayload eap) && (Facts & IkeMessageFacts.Eap) == 0)
                    {
                        Facts |= IkeMessageFacts.Eap;
                        EapCode = eap.Code;
                        EapIdentifier = eap.Identifier;
                        EapType = eap.Type;
                        if (eap.Code == EapCode.Success)
                        {
                            Facts |= IkeMessageFacts.EapSuccess;
                        }
                        else if (eap.Code == EapCode.Failure)
                        {
                            Facts |= IkeMessageFacts.EapFailure;
                        }
                    }
                    break;
                case IkePayloadType.Encrypted:
                case IkePayloadType.EncryptedFragment:
                    Facts |= IkeMessageFacts.Encrypted;
                    break;
            }
        }
    }

    private void ReadSa(ReadOnlySpan<byte> body)
    {
        if (HasSa)
        {
            return;
        }
        HasSa = true;
        if (!Transforms.Read(body))
        {
            Malformed = true;
        }
        if (IkeSaPayload.TryRead(body, out IkeSaPayload sa))
        {
            IkeProposalReader proposals = sa.GetProposals();
            if (proposals.TryReadNext(out IkeProposal proposal))
            {
                SaProtocol = proposal.ProtocolId;
                SaSpiSize = proposal.SpiSize;
                SaSpi32 = proposal.Spi32;
                SaSpi64 = proposal.Spi64;
                if (SaProtocol == ProtocolId.Ike && SaSpiSize == 8)
                {
                    Facts |= IkeMessageFacts.IkeRekey;
                }
            }
        }
    }

    private void ReadDelete(ReadOnlySpan<byte> body)
    {
        if (!IkeDeletePayload.TryRead(body, out IkeDeletePayload delete))
        {
            Malformed = true;
            return;
        }
        if (delete.ProtocolId == ProtocolId.Ike)
        {
            Facts |= IkeMessageFacts.DeleteIkeSa;
            return;
        }
        for (int i = 0; i < delete.SpiCount && DeletedSpiCount < MaxDeletedSpis; i++)
        {
            if (delete.TryGetSpi32(i, out uint spi))
            {
                _deletedSpis[DeletedSpiCount++] = spi;
            }
        }
    }

    private void ReadNotify(ReadOnlySpan<byte> body)
    {
        if (!IkeNotifyPayload.TryRead(body, out IkeNotifyPayload notify))
        {
            Malformed = true;
            return;
        }
        IkeNotifyType type = notify.NotifyType;
        if (NotifyCount < MaxNotifies)
        {
            _notifies[NotifyCount++] = type;
        }
        ReadOnlySpan<byte> data = notify.Data;
        switch (type)
        {
            case IkeNotifyType.Redirect:
            case IkeNotifyType.RedirectedFrom:
                if (!IkeRedirectData.TryRead(data, out IkeRedirectData redirect))
                {
                    Malformed = true;
                }
                else if (type == IkeNotifyType.Redirect && !HasRedirect)
                {
                    HasRedirect = true;
                    RedirectGateway.Set((byte)redirect.GatewayIdentityType, isGateway: true, redirect.GatewayIdentity);
                }
                else if (type == IkeNotifyType.RedirectedFrom && !HasRedirectedFrom)
                {
                    HasRedirectedFrom = true;
                    RedirectedFromGateway.Set((byte)redirect.GatewayIdentityType, isGateway: true, redirect.GatewayIdentity);
                }
                break;
            case IkeNotifyType.QuickCrashDetection:
                if (!IkeQcdTokenData.TryRead(data, out IkeQcdTokenData token))
                {
                    Malformed = true;
                }
                else
                {
                    if (QcdTokens++ == 0)
                    {
                        QcdToken.Set(0, isGateway: false, token.Token);
                    }
                    Facts |= IkeMessageFacts.QcdToken;
                }
                break;
            case IkeNotifyType.RekeySa:
                RekeySaSpi = notify.Spi32;
                break;
        }
    }
}
