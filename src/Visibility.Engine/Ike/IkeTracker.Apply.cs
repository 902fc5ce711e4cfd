using System.Runtime.CompilerServices;
using Visibility.Engine.Events;
using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>Applying one message's payloads to its SA: the exchange-specific facts, request/response pairing, Child SAs,
/// rekeys, redirects, QCD, tickets and RFC 6311 signs, then the state machine.</summary>
public sealed partial class IkeTracker
{
    /// <summary>A redirected client reconnecting within this time is linked to the redirecting SA.</summary>
    private const long RedirectLinkNanoseconds = 300L * 1_000_000_000;

    private IkeEvents Apply(IkeSa sa, in PacketContext packet, long now)
    {
        IkeMessageRecord record = _record;
        ref IkeMessageSummary summary = ref record.Summary;
        IkeMessageScan scan = _scan;
        IkeExchangeType exchange = summary.ExchangeType;
        bool response = summary.IsResponse;
        bool fromInitiator = summary.IsInitiator;
        bool decrypted = record.Decryption == IkeDecryption.Decrypted;
        uint messageId = summary.MessageId;
        IkeEvents events = IkeEvents.None;

        if (!response)
        {
            events |= TrackRequestId(sa, exchange, fromInitiator, messageId);
        }
        if (summary.Payloads.EncryptedPayloadType == IkePayloadType.EncryptedFragment && record.Decryption == IkeDecryption.FragmentPending)
        {
            // Only the fragment that completes a message says what the message is.
            return events;
        }

        ref IkePendingRequest pending = ref Unsafe.NullRef<IkePendingRequest>();
        if (!response)
        {
            pending = ref sa.Remember(messageId, fromInitiator, exchange);
        }
        else
        {
            pending = ref sa.FindRequest(messageId, !fromInitiator);
            if (Unsafe.IsNullRef(ref pending) && sa.HasRequest[fromInitiator ? 0 : 1])
            {
                events |= IkeEvents.UnmatchedResponse;
            }
        }

        switch (exchange)
        {
            case IkeExchangeType.IkeSaInit:
            case IkeExchangeType.IkeSessionResume:
                events |= ApplyInit(sa, exchange, response, now);
                break;
            case IkeExchangeType.IkeAuth when decrypted:
                events |= ApplyAuth(sa, ref pending, response, fromInitiator, packet.FrameNumber);
                break;
            case IkeExchangeType.CreateChildSa:
                events |= ApplyCreateChild(sa, ref pending, in packet, response, decrypted, now);
                break;
            case IkeExchangeType.Informational when decrypted:
                ApplyInformational(sa, scan, ref events);
                break;
        }

        events |= ApplyNotifies(sa, scan, response, decrypted, summary.Payloads.HasEncrypted, now);

        IkeMessageFacts facts = scan.Facts;
        if (summary.Payloads.HasEncrypted)
        {
            facts |= IkeMessageFacts.Encrypted;
        }
        if (decrypted)
        {
            facts |= IkeMessageFacts.Decrypted;
        }
        IkeSaState next = IkeSaStateMachine.Advance(sa.State, exchange, response, facts, scan.Notifies);
        SetState(sa, next, now, decrypted);
        return events;
    }

    /// <summary>Message-ID bookkeeping of requests per sender (RFC 7296 §2.2) and the clear signs of an RFC 6311 sync.</summary>
    private IkeEvents TrackRequestId(IkeSa sa, IkeExchangeType exchange, bool fromInitiator, uint messageId)
    {
        int role = fromInitiator ? 1 : 0;
        IkeEvents events = IkeEvents.None;
        bool init = exchange is IkeExchangeType.IkeSaInit or IkeExchangeType.IkeSessionResume;
        if (sa.HasRequest[role] && !init)
        {
            uint last = sa.LastRequestId[role];
            if (messageId == 0 && last > 0)
            {
                events |= IkeEvents.FailoverSuspected;
                sa.FailoverSigns++;
            }
            else if (messageId > last && messageId - last > _options.MessageIdJump)
            {
                events |= IkeEvents.MessageIdJump;
                sa.FailoverSigns++;
            }
        }
        if (!sa.HasRequest[role] || messageId > sa.LastRequestId[role] || messageId == 0)
        {
            sa.LastRequestId[role] = messageId;
        }
        sa.HasRequest[role] = true;
        return events;
    }

    private IkeEvents ApplyInit(IkeSa sa, IkeExchangeType exchange, bool response, long now)
    {
        IkeMessageScan scan = _scan;
        ref IkeMessageSummary summary = ref _record.Summary;
        IkeEvents events = IkeEvents.None;
        if (exchange == IkeExchangeType.IkeSessionResume)
        {
            events |= IkeEvents.Resumption;
            sa.Resumed = true;
        }
        if (scan.Has(IkeNotifyType.Ikev2FragmentationSupported))
        {
            sa.FragmentationSupported = true;
        }
        if (!response)
        {
            if (scan.HasSa)
            {
                sa.Offered = scan.Transforms;
            }
            if (summary.Payloads.HasKeyExchange)
            {
                sa.KeyExchangeGroup = summary.Payloads.KeyExchangeGroup;
            }
            if (scan.Has(IkeNotifyType.Cookie))
            {
                sa.CookieRetries++;
            }
            if (scan.HasRedirectedFrom)
            {
                events |= IkeEvents.RedirectedFrom;
                sa.RedirectedFrom = scan.RedirectedFromGateway;
                if (_redirectedClients.TryGetValue(sa.Initiator, out (ulong Spi, long Nanoseconds) previous)
                    && now - previous.Nanoseconds <= RedirectLinkNanoseconds && previous.Spi != sa.InitiatorSpi)
                {
                    sa.RedirectedFromSa = previous.Spi;
                }
                else if (FindRedirectingSa(sa, in scan.RedirectedFromGateway) is { } original)
                {
                    sa.RedirectedFromSa = original.InitiatorSpi;
                }
            }
            return events;
        }
        if (scan.HasSa)
        {
            sa.Chosen = scan.Transforms;
        }
        if (scan.Has(IkeNotifyType.InvalidKePayload))
        {
            sa.InvalidKeRetries++;
        }
        return events;
    }

    private IkeEvents ApplyAuth(IkeSa sa, ref IkePendingRequest pending, bool response, bool fromInitiator, long frame)
    {
        IkeMessageScan scan = _scan;
        IkeEvents events = IkeEvents.None;
        bool auth = (scan.Facts & IkeMessageFacts.Auth) != 0;
        bool eap = (scan.Facts & IkeMessageFacts.Eap) != 0;
        if (eap && scan.EapType != 0 && scan.EapType != 1)
        {
            sa.EapType = scan.EapType;
        }
        if (!response)
        {
            if (fromInitiator)
            {
                if (scan.HasInitiatorId)
                {
                    sa.InitiatorId = scan.InitiatorId;
                    if (!auth && sa.InitiatorAuthMethod == AuthMethod.None)
                    {
                        // RFC 7296 §2.16: the initiator leaves out AUTH to ask for EAP.
                        sa.InitiatorUsedEap = true;
                    }
                }
                if (auth)
                {
                    sa.InitiatorAuthMethod = scan.AuthMethod;
                }
                if (scan.Has(IkeNotifyType.EapOnlyAuthentication))
                {
                    sa.EapOnlyOffered = true;
                }
            }
            RememberChild(ref pending, scan);
            return events;
        }
        if (scan.HasResponderId)
        {
            sa.ResponderId = scan.ResponderId;
        }
        if (auth)
        {
            sa.ResponderAuthMethod = scan.AuthMethod;
        }
        if (!sa.FirstAuthResponseSeen)
        {
            sa.FirstAuthResponseSeen = true;
            if (sa.EapOnlyOffered && eap && !auth)
            {
                sa.EapOnly = true;
                events |= IkeEvents.EapOnly;
            }
        }
        if (scan.HasSa && !IkeSaStateMachine.HasError(scan.Notifies))
        {
            ref IkePendingRequest proposal = ref pending;
            if (Unsafe.IsNullRef(ref proposal) || proposal.ChildSpi == 0)
            {
                proposal = ref sa.FindAuthChildRequest(!fromInitiator);
            }
            if (!Unsafe.IsNullRef(ref proposal))
            {
                events |= AddChild(sa, ref proposal, IkeExchangeType.IkeAuth, frame);
            }
        }
        return events;
    }

    private IkeEvents ApplyCreateChild(IkeSa sa, ref IkePendingRequest pending, in PacketContext packet, bool response, bool decrypted, long now)
    {
        IkeMessageScan scan = _scan;
        if (!response)
        {
            if (decrypted && scan.HasSa)
            {
                if (scan.SaProtocol == ProtocolId.Ike && scan.SaSpiSize == 8)
                {
                    pending.RekeySpi = scan.SaSpi64;
                }
                else
                {
                    RememberChild(ref pending, scan);
                    pending.RekeyOf = scan.RekeySaSpi;
                }
            }
            return IkeEvents.None;
        }
        sa.LastCreateChildNanoseconds = now;
        if (!decrypted || !scan.HasSa || IkeSaStateMachine.HasError(scan.Notifies) || Unsafe.IsNullRef(ref pending))
        {
            return IkeEvents.None;
        }
        if (scan.SaProtocol == ProtocolId.Ike && scan.SaSpiSize == 8 && pending.RekeySpi != 0)
        {
            ref readonly PacketMeta meta = ref packet.Meta;
            // The response comes from the rekey's responder; the request's sender initiates the new SA (RFC 7296 §2.18).
            IkeSa successor = Allocate(now, keep: sa);
            successor.InitiatorSpi = pending.RekeySpi;
            successor.ResponderSpi = scan.SaSpi64;
            successor.Initiator = meta.Destination;
            successor.InitiatorPort = meta.DestinationPort;
            successor.Responder = meta.Source;
            successor.ResponderPort = meta.SourcePort;
            successor.FirstFrame = packet.FrameNumber;
            successor.SourceName = packet.Flow?.SourceName;
            successor.FlowId = packet.Flow?.Id ?? 0;
            successor.Chosen = scan.Transforms;
            Insert(successor);
            TakeOver(successor, sa, sameOrientation: pending.FromInitiator, inferred: false);
            SetState(successor, IkeSaState.Established, now, decrypted: true);
            return IkeEvents.IkeRekey;
        }
        if (pending.ChildSpi != 0)
        {
            return AddChild(sa, ref pending, IkeExchangeType.CreateChildSa, packet.FrameNumber);
        }
        return IkeEvents.None;
    }

    private static void ApplyInformational(IkeSa sa, IkeMessageScan scan, ref IkeEvents events)
    {
        if ((scan.Facts & IkeMessageFacts.DeleteIkeSa) != 0)
        {
            events |= IkeEvents.IkeDelete;
        }
        foreach (uint spi in scan.DeletedSpis)
        {
            for (int i = 0; i < sa.ChildSaCount; i++)
            {
                ref IkeChildSa child = ref sa.ChildAt(i);
                if (child.InitiatorSpi == spi || child.ResponderSpi == spi)
                {
                    child.Deleted = true;
                }
            }
        }
    }

    /// <summary>Notifies that matter in any exchange: failures, redirects, WESP, tickets, QCD, RFC 6311.</summary>
    private IkeEvents ApplyNotifies(IkeSa sa, IkeMessageScan scan, bool response, bool decrypted, bool encrypted, long now)
    {
        IkeEvents events = IkeEvents.None;
        if (scan.Has(IkeNotifyType.AuthenticationFailed) || (scan.Facts & IkeMessageFacts.EapFailure) != 0)
        {
            events |= IkeEvents.AuthFailed;
        }
        if (scan.Has(IkeNotifyType.NoProposalChosen))
        {
            events |= IkeEvents.NoProposalChosen;
        }
        if (scan.HasRedirect)
        {
            events |= IkeEvents.Redirect;
            sa.RedirectedTo = scan.RedirectGateway;
            _redirectedClients[sa.Initiator] = (sa.InitiatorSpi, now);
            if (_redirectedClients.Count > _options.Capacity)
            {
                _redirectedClients.Clear();
            }
        }
        if (scan.Has(IkeNotifyType.UseWespMode))
        {
            events |= IkeEvents.Wesp;
        }
        if (scan.Has(IkeNotifyType.TicketRequest) || scan.Has(IkeNotifyType.TicketLtOpaque) || scan.Has(IkeNotifyType.TicketAck)
            || scan.Has(IkeNotifyType.TicketNack) || scan.Has(IkeNotifyType.TicketOpaque))
        {
            events |= IkeEvents.Ticket;
            if (scan.Has(IkeNotifyType.TicketLtOpaque))
            {
                sa.Ticket = IkeTicketState.Issued;
            }
            else if (scan.Has(IkeNotifyType.TicketNack))
            {
                sa.Ticket = IkeTicketState.Refused;
            }
            else if (scan.Has(IkeNotifyType.TicketAck))
            {
                sa.Ticket = IkeTicketState.Acknowledged;
            }
            else if (scan.Has(IkeNotifyType.TicketRequest) && sa.Ticket == IkeTicketState.None)
            {
                sa.Ticket = IkeTicketState.Requested;
            }
        }
        if (scan.QcdTokens > 0)
        {
            events |= IkeEvents.QcdToken;
        }
        if (response && !encrypted && scan.Has(IkeNotifyType.InvalidIkeSpi))
        {
            // RFC 6290 §4.5: a maker that lost its state answers a protected request in clear with its token.
            if (scan.QcdTokens > 0)
            {
                events |= IkeEvents.PeerLostState;
                sa.PeerLostState = true;
                if (sa.QcdTokenLength > 0)
                {
                    sa.QcdTokenMatched = sa.QcdToken.SequenceEqual(scan.QcdToken.Bytes);
                }
                sa.QcdTokens += scan.QcdTokens;
            }
            else
            {
                events |= IkeEvents.InvalidIkeSpi;
            }
        }
        else if (decrypted && scan.QcdTokens > 0)
        {
            // The taker keeps the token with the SA (RFC 6290 §3).
            sa.QcdTokens += scan.QcdTokens;
            sa.SetQcdToken(scan.QcdToken.Bytes);
        }
        if (decrypted)
        {
            if (scan.Has(IkeNotifyType.Ikev2MessageIdSyncSupported))
            {
                sa.MessageIdSyncSupported = true;
            }
            if (scan.Has(IkeNotifyType.IpsecReplayCounterSyncSupported))
            {
                sa.ReplayCounterSyncSupported = true;
            }
            if (scan.Has(IkeNotifyType.Ikev2MessageIdSync))
            {
                events |= IkeEvents.MessageIdSync;
                if (!response)
                {
                    sa.MessageIdSyncs++;
                }
            }
            if (scan.Has(IkeNotifyType.IpsecReplayCounterSync))
            {
                events |= IkeEvents.ReplayCounterSync;
                sa.ReplayCounterSyncs++;
            }
        }
        return events;
    }

    private static void RememberChild(ref IkePendingRequest request, IkeMessageScan scan)
    {
        if (scan.HasSa && scan.SaProtocol is ProtocolId.Esp or ProtocolId.Ah && scan.SaSpiSize == 4)
        {
            request.ChildSpi = scan.SaSpi32;
            request.ChildProtocol = scan.SaProtocol;
            request.Transport = scan.Has(IkeNotifyType.UseTransportMode);
            request.Wesp = scan.Has(IkeNotifyType.UseWespMode);
        }
    }

    /// <summary>Completes a Child SA from its request and the accepting response (RFC 7296 §1.3.1, §3.3) and indexes
    /// both SPIs for the ESP flows.</summary>
    private IkeEvents AddChild(IkeSa sa, ref IkePendingRequest request, IkeExchangeType exchange, long frame)
    {
        IkeMessageScan scan = _scan;
        if (scan.SaProtocol != request.ChildProtocol || scan.SaSpiSize != 4)
        {
            return IkeEvents.None;
        }
        IkeTransformEntry encryption = scan.Transforms.First(TransformType.Encryption);
        IkeTransformEntry integrity = scan.Transforms.First(TransformType.Integrity);
        IkeTransformEntry esn = scan.Transforms.First(TransformType.ExtendedSequenceNumbers);
        var child = new IkeChildSa
        {
            Protocol = scan.SaProtocol,
            InitiatorSpi = request.ChildSpi,
            ResponderSpi = scan.SaSpi32,
            ByOriginalInitiator = request.FromInitiator,
            Encryption = (EncryptionAlgorithm)encryption.Id,
            KeyLength = encryption.KeyLength,
            Integrity = (IntegrityAlgorithm)integrity.Id,
            ExtendedSequenceNumbers = esn.Type == TransformType.ExtendedSequenceNumbers && esn.Id == 1,
            Transport = request.Transport && scan.Has(IkeNotifyType.UseTransportMode),
            Wesp = request.Wesp && scan.Has(IkeNotifyType.UseWespMode),
            Exchange = exchange,
            RekeyOf = request.RekeyOf,
            Frame = frame,
            InitiatorSelectors = scan.InitiatorSelectors,
            ResponderSelectors = scan.ResponderSelectors,
        };
        request.ChildSpi = 0;
        int index = sa.AddChild(child, out IkeChildSa replaced);
        if (replaced.Protocol != ProtocolId.None)
        {
            RemoveChildIndex(replaced.InitiatorSpi, sa);
            RemoveChildIndex(replaced.ResponderSpi, sa);
        }
        if (child.Wesp)
        {
            sa.Wesp = true;
        }
        _children[child.InitiatorSpi] = new IkeChildRef(sa, sa.Serial, index);
        _children[child.ResponderSpi] = new IkeChildRef(sa, sa.Serial, index);
        _generation++;
        return IkeEvents.ChildSa;
    }

    /// <summary>Makes <paramref name="successor"/> the rekeyed replacement of <paramref name="predecessor"/>: links them,
    /// moves the Child SAs and identities, and ends the predecessor's active life (RFC 7296 §2.18).</summary>
    private void TakeOver(IkeSa successor, IkeSa predecessor, bool sameOrientation, bool inferred)
    {
        successor.RekeyedFrom = predecessor.InitiatorSpi;
        successor.RekeyedFromResponderSpi = predecessor.ResponderSpi;
        successor.RekeyInferred = inferred;
        predecessor.RekeyedTo = successor.InitiatorSpi;
        predecessor.RekeyedToResponderSpi = successor.ResponderSpi;
        predecessor.RekeyedToSa = successor;
        predecessor.RekeyedToSerial = successor.Serial;
        successor.InitiatorId = sameOrientation ? predecessor.InitiatorId : predecessor.ResponderId;
        successor.ResponderId = sameOrientation ? predecessor.ResponderId : predecessor.InitiatorId;
        successor.InitiatorAuthMethod = sameOrientation ? predecessor.InitiatorAuthMethod : predecessor.ResponderAuthMethod;
        successor.ResponderAuthMethod = sameOrientation ? predecessor.ResponderAuthMethod : predecessor.InitiatorAuthMethod;
        successor.EapType = predecessor.EapType;
        successor.InitiatorUsedEap = predecessor.InitiatorUsedEap && sameOrientation;
        successor.EapOnly = predecessor.EapOnly;
        successor.Wesp = predecessor.Wesp;
        successor.MessageIdSyncSupported = predecessor.MessageIdSyncSupported;
        successor.ReplayCounterSyncSupported = predecessor.ReplayCounterSyncSupported;
        successor.TakeChildren(predecessor);
        for (int i = 0; i < successor.ChildSaCount; i++)
        {
            ref IkeChildSa child = ref successor.ChildAt(i);
            _children[child.InitiatorSpi] = new IkeChildRef(successor, successor.Serial, i);
            _children[child.ResponderSpi] = new IkeChildRef(successor, successor.Serial, i);
        }
        _generation++;
    }

    /// <summary>The client's established SA with the gateway named by REDIRECTED_FROM, when the REDIRECT itself was not
    /// seen (encrypted in IKE_AUTH or INFORMATIONAL without keys). REDIRECTED_FROM carries the original gateway's IP
    /// address (RFC 5685 §4, §5), so the latest SA between the client and that address is the one it left.</summary>
    private IkeSa? FindRedirectingSa(IkeSa sa, in IkeIdentity gateway)
    {
        NetworkAddress address;
        if (gateway.Type == (byte)GatewayIdentityType.IPv4Address && gateway.Length == 4)
        {
            address = NetworkAddress.FromIPv4(gateway.Bytes);
        }
        else if (gateway.Type == (byte)GatewayIdentityType.IPv6Address && gateway.Length == 16)
        {
            address = NetworkAddress.FromIPv6(gateway.Bytes);
        }
        else
        {
            return null;
        }
        if (!_pairs.TryGetValue(IkeAddressPair.Of(sa.Initiator, address), out IkeSaRef latest) || !latest.IsAlive)
        {
            return null;
        }
        IkeSa original = latest.Sa;
        return original != sa && original.Initiator == sa.Initiator && original.Responder == address ? original : null;
    }

    /// <summary>Without keys: an SA first seen after its start, with new SPIs between the two peers of an established SA
    /// that just ran a CREATE_CHILD_SA, and a small Message ID (a rekeyed SA restarts at 0, RFC 7296 §1.3.2), is taken
    /// as that SA's rekey.</summary>
    private void TryInferRekey(IkeSa sa, long now)
    {
        if (!_pairs.TryGetValue(IkeAddressPair.Of(sa.Initiator, sa.Responder), out IkeSaRef latest) || !latest.IsAlive)
        {
            return;
        }
        IkeSa predecessor = latest.Sa;
        if (predecessor == sa || predecessor.State != IkeSaState.Established || predecessor.LastCreateChildNanoseconds == 0
            || now - predecessor.LastCreateChildNanoseconds > _rekeyWindow)
        {
            return;
        }
        sa.Midstream = false;
        TakeOver(sa, predecessor, sameOrientation: sa.Initiator == predecessor.Initiator, inferred: true);
        SetState(predecessor, IkeSaState.Rekeyed, now, decrypted: false);
        _record.Events |= IkeEvents.IkeRekey;
        predecessor.Events |= IkeEvents.IkeRekey;
    }

    private void SetState(IkeSa sa, IkeSaState next, long now, bool decrypted)
    {
        if (next == sa.State)
        {
            return;
        }
        Counters.MoveState(sa.State, next);
        sa.State = next;
        if (next == IkeSaState.Established)
        {
            sa.EstablishedNanoseconds = now;
            sa.EstablishedByDecryption = decrypted;
            _pairs[IkeAddressPair.Of(sa.Initiator, sa.Responder)] = new IkeSaRef(sa, sa.Serial);
            _generation++;
        }
        Move(sa, ClassOf(next));
    }
}
