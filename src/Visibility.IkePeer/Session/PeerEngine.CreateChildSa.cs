using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Session;

/// <summary>CREATE_CHILD_SA: rekeying Child SAs and the IKE SA, as requester and as responder.</summary>
/// <remarks>
/// RFC 7296 §1.3.3 (Child SA rekey: <c>SK{N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}</c>, the REKEY_SA SPI being the
/// requester's inbound SPI of the old SA), §1.3.2 and §2.18 (IKE SA rekey: <c>SK{SA, Ni, KEi}</c>, the new SPIs in the
/// proposals; <c>SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)</c>; Child SAs move to the new IKE SA; message IDs
/// restart at 0), §2.8 (the requester deletes the old SA once the new one is up), §2.17 (KEYMAT with the exchange's
/// nonces, and g^ir with PFS; "initiator" is the requester of the exchange).
/// </remarks>
internal sealed partial class PeerEngine
{
    /// <summary>Rekeys <paramref name="child"/> (by default the active Child SA) and deletes the old one; returns the new
    /// Child SA.</summary>
    public async Task<ChildSa> RekeyChildAsync(IkeSession session, CancellationToken cancellationToken, ChildSa? child = null)
    {
        KeyExchange? keyExchange;
        byte[] nonceI;
        uint inboundSpi;
        DhGroup group;
        lock (_gate)
        {
            session = session.Current;
            child ??= session.ActiveChild ?? throw new PeerException("no Child SA to rekey");
            group = _options.EspProposals[0].DhGroups.FirstOrDefault();
        }

        for (var attempt = 0; ; attempt++)
        {
            IReadOnlyList<byte[]> encoded;
            uint messageId;
            lock (_gate)
            {
                RequireEstablished(session);
                nonceI = RandomNumberGenerator.GetBytes(32);
                inboundSpi = AllocateChildSpi();
                keyExchange = group == DhGroup.None ? null : KeyExchange.Create(group);
                var payloads = new List<Payload>
                {
                    new NotifyPayload(IkeNotifyType.RekeySa, null, ProtocolId.Esp, Spi32(child.Inbound.Spi)),
                    new SecurityAssociationPayload([.. _options.EspProposals.Select((spec, i) => spec.ToProposal((byte)(i + 1), Spi32(inboundSpi), withDh: keyExchange is not null))]),
                    new NoncePayload(nonceI),
                };
                if (keyExchange is not null)
                {
                    payloads.Add(new KeyExchangePayload(group, keyExchange.PublicKey));
                }

                payloads.Add(new TrafficSelectorPayload(true, [child.LocalTs]));
                payloads.Add(new TrafficSelectorPayload(false, [child.RemoteTs]));
                if (child.Wesp)
                {
                    payloads.Add(new NotifyPayload(IkeNotifyType.UseWespMode));
                }

                (encoded, messageId) = EncodeRequest(session, IkeExchangeType.CreateChildSa, payloads);
            }

            var (response, _) = await SendRequestAsync(session, encoded, messageId, cancellationToken).ConfigureAwait(false);
            Log($"{session.Name}: received {response}");
            lock (_gate)
            {
                if (response.GetNotify(IkeNotifyType.InvalidKePayload) is { Data.Length: >= 2 } invalidKe && attempt == 0)
                {
                    var wanted = (DhGroup)BinaryPrimitives.ReadUInt16BigEndian(invalidKe.Data);
                    if (!_options.EspProposals.Any(p => p.DhGroups.Contains(wanted)) || !KeyExchange.IsSupported(wanted))
                    {
                        throw new PeerException($"CREATE_CHILD_SA: the peer asks for {IkeNames.GetName(wanted)}, which was not offered");
                    }

                    group = wanted;
                    continue;
                }

                if (response.Notifies.FirstOrDefault(n => n.IsError) is { } error)
                {
                    throw new PeerException($"Child SA rekey failed: {NotifyName(error.NotifyType)}");
                }

                var nonceR = response.Get<NoncePayload>()?.Data;
                var tsi = response.GetTrafficSelectors(true);
                var tsr = response.GetTrafficSelectors(false);
                if (response.Get<SecurityAssociationPayload>() is not { Proposals: [var chosen] } || nonceR is null
                    || tsi is not { Selectors.Count: > 0 } || tsr is not { Selectors.Count: > 0 }
                    || ProposalSpec.FromChosen(chosen) is not { } suite || chosen.Spi.Length != 4)
                {
                    throw new PeerException("CREATE_CHILD_SA response lacks a usable SA, Nonce or TS payload");
                }

                var sharedSecret = SharedSecretOf(response, keyExchange, suite.DhGroup);
                var (ir, ri) = ChildKeyMaterial.Derive(session.Suite!.Prf!, session.Keys!.SkD, nonceI, nonceR, suite.Encryption, suite.Integrity, sharedSecret);
                var replacement = new ChildSa(suite, new EspSa(inboundSpi, suite, ri), new EspSa(BinaryPrimitives.ReadUInt32BigEndian(chosen.Spi), suite, ir),
                    tsi.Selectors[0], tsr.Selectors[0], wesp: child.Wesp && response.GetNotify(IkeNotifyType.UseWespMode) is not null)
                {
                    RekeyOf = child.Inbound.Spi,
                };
                child.ReplacedBy = replacement;
                AddChild(session, replacement);
                _output.WriteLine($"CHILD SA {child.Name} rekeyed to {replacement.Name}");
                break;
            }
        }

        await DeleteChildAsync(session, child, cancellationToken).ConfigureAwait(false);
        return child.ReplacedBy!;
    }

    /// <summary>Deletes one Child SA with INFORMATIONAL <c>D(ESP, our inbound SPI)</c> [RFC 7296 §1.4.1].</summary>
    public async Task DeleteChildAsync(IkeSession session, ChildSa child, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> encoded;
        uint messageId;
        lock (_gate)
        {
            session = session.Current;
            RequireEstablished(session);
            (encoded, messageId) = EncodeRequest(session, IkeExchangeType.Informational, [new DeletePayload(ProtocolId.Esp, [child.Inbound.Spi])]);
        }

        var (response, _) = await SendRequestAsync(session, encoded, messageId, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            Log($"{session.Name}: received {response}");
            RemoveChild(session, child);
            _output.WriteLine($"CHILD SA {child.Name} deleted");
            _output.Flush();
        }
    }

    /// <summary>Rekeys the IKE SA with a new key exchange and deletes the old one; returns the new IKE SA, which owns the
    /// Child SAs [RFC 7296 §2.18]. This side becomes the new SA's original initiator.</summary>
    public async Task<IkeSession> RekeyIkeAsync(IkeSession session, CancellationToken cancellationToken)
    {
        DhGroup group;
        lock (_gate)
        {
            session = session.Current;
            group = session.Suite!.DhGroup;
        }

        IkeSession replacement;
        for (var attempt = 0; ; attempt++)
        {
            IReadOnlyList<byte[]> encoded;
            uint messageId;
            ulong spiI;
            byte[] nonceI;
            KeyExchange keyExchange;
            lock (_gate)
            {
                RequireEstablished(session);
                spiI = RandomSpi64();
                nonceI = RandomNumberGenerator.GetBytes(32);
                keyExchange = KeyExchange.Create(group);
                var spi = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(spi, spiI);
                (encoded, messageId) = EncodeRequest(session, IkeExchangeType.CreateChildSa,
                [
                    new SecurityAssociationPayload([.. _options.IkeProposals.Select((spec, i) => spec.ToProposal((byte)(i + 1), spi))]),
                    new NoncePayload(nonceI),
                    new KeyExchangePayload(group, keyExchange.PublicKey),
                ]);
            }

            var (response, _) = await SendRequestAsync(session, encoded, messageId, cancellationToken).ConfigureAwait(false);
            Log($"{session.Name}: received {response}");
            lock (_gate)
            {
                if (response.GetNotify(IkeNotifyType.InvalidKePayload) is { Data.Length: >= 2 } invalidKe && attempt == 0)
                {
                    var wanted = (DhGroup)BinaryPrimitives.ReadUInt16BigEndian(invalidKe.Data);
                    if (!_options.IkeProposals.Any(p => p.DhGroups.Contains(wanted)) || !KeyExchange.IsSupported(wanted))
                    {
                        throw new PeerException($"IKE SA rekey: the peer asks for {IkeNames.GetName(wanted)}, which was not offered");
                    }

                    group = wanted;
                    continue;
                }

                if (response.Notifies.FirstOrDefault(n => n.IsError) is { } error)
                {
                    throw new PeerException($"IKE SA rekey failed: {NotifyName(error.NotifyType)}");
                }

                var nonceR = response.Get<NoncePayload>()?.Data;
                if (response.Get<SecurityAssociationPayload>() is not { Proposals: [var chosen] } || nonceR is null || chosen.Spi.Length != 8
                    || ProposalSpec.FromChosen(chosen) is not { Prf: not null } suite || suite.DhGroup != group)
                {
                    throw new PeerException("IKE SA rekey response lacks a usable SA, Nonce or KE payload");
                }

                var sharedSecret = SharedSecretOf(response, keyExchange, group);
                var spiR = BinaryPrimitives.ReadUInt64BigEndian(chosen.Spi);
                replacement = new IkeSession(true, spiI, session.Remote, session.Local)
                {
                    ResponderSpi = spiR,
                    RekeyedFrom = session.InitiatorSpi,
                };
                replacement.Keys = IkeSaKeys.DeriveRekey(session.Suite!.Prf!, session.Keys!.SkD, suite.Prf, suite.Integrity, suite.Encryption, sharedSecret, nonceI, nonceR, spiI, spiR);
                Takeover(session, replacement, suite, nonceI, nonceR);
                TakeQcdToken(replacement, response);
                break;
            }
        }

        if (_options.Qcd)
        {
            // RFC 6290 §4.3: a maker that requested the rekey hands out the new SA's token in an INFORMATIONAL.
            IReadOnlyList<byte[]> encoded;
            uint messageId;
            lock (_gate)
            {
                (encoded, messageId) = EncodeRequest(replacement, IkeExchangeType.Informational, [QcdNotify(replacement.InitiatorSpi, replacement.ResponderSpi)]);
            }

            await SendRequestAsync(replacement, encoded, messageId, cancellationToken).ConfigureAwait(false);
        }

        await DeleteSessionAsync(session, cancellationToken).ConfigureAwait(false);
        return replacement;
    }

    private void OnCreateChildSaRequest(IkeSession session, IkeMessage request)
    {
        var sa = request.Get<SecurityAssociationPayload>();
        var nonce = request.Get<NoncePayload>();
        if (sa is null || nonce is not { Data.Length: >= 16 and <= 256 })
        {
            SendResponse(session, request, [new NotifyPayload(IkeNotifyType.InvalidSyntax)]);
            return;
        }

        if (sa.Proposals.Any(p => p.ProtocolId == ProtocolId.Ike))
        {
            OnIkeRekeyRequest(session, request, sa, nonce.Data);
        }
        else
        {
            OnChildRequest(session, request, nonce.Data);
        }
    }

    private void OnChildRequest(IkeSession session, IkeMessage request, byte[] nonceI)
    {
        ChildSa? old = null;
        if (request.GetNotify(IkeNotifyType.RekeySa) is { } rekey)
        {
            var spi = rekey.Spi.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(rekey.Spi) : 0;
            old = session.Children.FirstOrDefault(c => c.Outbound.Spi == spi && c.ReplacedBy is null);
            if (old is null)
            {
                Log($"{session.Name}: REKEY_SA for unknown Child SA 0x{spi:x8}");
                SendResponse(session, request, [new NotifyPayload(IkeNotifyType.ChildSaNotFound, null, ProtocolId.Esp, rekey.Spi)]);
                return;
            }
        }

        var choice = ChooseChild(session, request, withDh: true, out var refusal);
        if (choice is null)
        {
            SendResponse(session, request, [refusal ?? new NotifyPayload(IkeNotifyType.NoProposalChosen)]);
            return;
        }

        var (suite, offered, localTs, remoteTs) = choice.Value;
        var ke = request.Get<KeyExchangePayload>();
        if (suite.DhGroup != DhGroup.None && ke?.Group != suite.DhGroup)
        {
            SendResponse(session, request, [InvalidKe(suite.DhGroup)]);
            return;
        }

        var nonceR = RandomNumberGenerator.GetBytes(32);
        var inboundSpi = AllocateChildSpi();
        var payloads = new List<Payload>
        {
            new SecurityAssociationPayload([ProposalSpec.Selected(offered.Number, ProtocolId.Esp, Spi32(inboundSpi), suite)]),
            new NoncePayload(nonceR),
        };
        byte[] sharedSecret = [];
        if (suite.DhGroup != DhGroup.None)
        {
            var keyExchange = KeyExchange.Create(suite.DhGroup);
            if (!TryComputeSharedSecret(keyExchange, ke!.Data, out sharedSecret))
            {
                SendResponse(session, request, [new NotifyPayload(IkeNotifyType.InvalidSyntax)]);
                return;
            }

            payloads.Add(new KeyExchangePayload(suite.DhGroup, keyExchange.PublicKey));
        }

        payloads.Add(new TrafficSelectorPayload(true, [remoteTs]));
        payloads.Add(new TrafficSelectorPayload(false, [localTs]));
        var wesp = WespAccepted(request);
        if (wesp)
        {
            payloads.Add(new NotifyPayload(IkeNotifyType.UseWespMode));
        }

        var (ir, ri) = ChildKeyMaterial.Derive(session.Suite!.Prf!, session.Keys!.SkD, nonceI, nonceR, suite.Encryption, suite.Integrity, sharedSecret);
        var child = new ChildSa(suite, new EspSa(inboundSpi, suite, ir), new EspSa(BinaryPrimitives.ReadUInt32BigEndian(offered.Spi), suite, ri), localTs, remoteTs, wesp)
        {
            RekeyOf = old?.Inbound.Spi ?? 0,
        };
        SendResponse(session, request, payloads);
        if (old is not null)
        {
            // The old SA keeps receiving until the requester deletes it (RFC 7296 §2.8).
            old.ReplacedBy = child;
        }

        AddChild(session, child);
        if (old is not null)
        {
            _output.WriteLine($"CHILD SA {old.Name} rekeyed to {child.Name} by the peer");
            _output.Flush();
        }
    }

    private void OnIkeRekeyRequest(IkeSession session, IkeMessage request, SecurityAssociationPayload sa, byte[] nonceI)
    {
        var ke = request.Get<KeyExchangePayload>();
        NegotiatedSuite? suite = null;
        Proposal? offered = null;
        foreach (var spec in _options.IkeProposals)
        {
            offered = sa.Proposals.FirstOrDefault(p => p.Spi.Length == 8 && spec.Match(p, preferredGroup: ke?.Group ?? DhGroup.None) is not null);
            if (offered is not null)
            {
                suite = spec.Match(offered, preferredGroup: ke?.Group ?? DhGroup.None);
                break;
            }
        }

        if (suite?.Prf is null || offered is null)
        {
            SendResponse(session, request, [new NotifyPayload(IkeNotifyType.NoProposalChosen)]);
            return;
        }

        if (ke is null || ke.Group != suite.DhGroup)
        {
            SendResponse(session, request, [InvalidKe(suite.DhGroup)]);
            return;
        }

        var keyExchange = KeyExchange.Create(suite.DhGroup);
        if (!TryComputeSharedSecret(keyExchange, ke.Data, out var sharedSecret))
        {
            SendResponse(session, request, [new NotifyPayload(IkeNotifyType.InvalidSyntax)]);
            return;
        }

        var nonceR = RandomNumberGenerator.GetBytes(32);
        var spiI = BinaryPrimitives.ReadUInt64BigEndian(offered.Spi);
        var spiR = RandomSpi64();
        var spi = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(spi, spiR);
        var payloads = new List<Payload>
        {
            new SecurityAssociationPayload([ProposalSpec.Selected(offered.Number, ProtocolId.Ike, spi, suite)]),
            new NoncePayload(nonceR),
            new KeyExchangePayload(suite.DhGroup, keyExchange.PublicKey),
        };
        if (_options.Qcd)
        {
            // RFC 6290 §4.3: the new SA's token rides in the rekey response.
            payloads.Add(QcdNotify(spiI, spiR));
        }

        SendResponse(session, request, payloads);
        var replacement = new IkeSession(false, spiI, session.Remote, session.Local)
        {
            ResponderSpi = spiR,
            RekeyedFrom = session.InitiatorSpi,
            Keys = IkeSaKeys.DeriveRekey(session.Suite!.Prf!, session.Keys!.SkD, suite.Prf, suite.Integrity, suite.Encryption, sharedSecret, nonceI, nonceR, spiI, spiR),
        };
        Takeover(session, replacement, suite, nonceI, nonceR);
    }

    /// <summary>Makes <paramref name="replacement"/> the established successor of <paramref name="session"/>: its Child
    /// SAs, identity, addresses and message IDs from 0 [RFC 7296 §2.18].</summary>
    private void Takeover(IkeSession session, IkeSession replacement, NegotiatedSuite suite, byte[] nonceI, byte[] nonceR)
    {
        replacement.Suite = suite;
        replacement.NonceI = nonceI;
        replacement.NonceR = nonceR;
        replacement.NatTraversal = session.NatTraversal;
        replacement.PlainEsp = session.PlainEsp;
        replacement.Fragmentation = session.Fragmentation;
        replacement.RemoteIdentity = session.RemoteIdentity;
        replacement.QcdToken = null;
        replacement.NextRequestId = 0;
        replacement.ExpectedPeerRequestId = 0;
        replacement.State = IkeSaState.Established;
        foreach (var child in session.Children)
        {
            replacement.Children.Add(child);
            _children[child.Inbound.Spi] = (replacement, child);
        }

        session.Children.Clear();
        session.State = IkeSaState.Rekeyed;
        session.ReplacedBy = replacement;
        _sessions[replacement.InitiatorSpi] = replacement;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IKE SA {session.Name} rekeyed to {replacement.Name} ({suite})"));
        _output.Flush();
        _exporter?.WriteIkeSa(replacement);
        Rekeyed?.Invoke(session, replacement);
    }

    /// <summary>Deletes this very IKE SA (not its successor): the old SA after a rekey [RFC 7296 §2.18], an SA redirected
    /// away [RFC 5685 §5, §6].</summary>
    private async Task DeleteSessionAsync(IkeSession old, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> encoded;
        uint messageId;
        lock (_gate)
        {
            (encoded, messageId) = EncodeRequest(old, IkeExchangeType.Informational, [new DeletePayload(ProtocolId.Ike, [])]);
        }

        try
        {
            await SendRequestAsync(old, encoded, messageId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                Remove(old);
            }
        }
    }

    private (IReadOnlyList<byte[]> Encoded, uint MessageId) EncodeRequest(IkeSession session, IkeExchangeType exchange, List<Payload> payloads)
    {
        var messageId = session.NextRequestId++;
        var request = IkeMessage.Create(session.InitiatorSpi, session.ResponderSpi, exchange, messageId, false, session.IsInitiator);
        request.Payloads.AddRange(payloads);
        Log($"{session.Name}: sending {request}");
        return (Protect(session, request), messageId);
    }

    private static void RequireEstablished(IkeSession session)
    {
        if (session.State != IkeSaState.Established)
        {
            throw new PeerException($"IKE SA {session.Name} is {session.State.ToString().ToLowerInvariant()}");
        }
    }

    private static NotifyPayload InvalidKe(DhGroup group)
    {
        var data = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)group);
        return new NotifyPayload(IkeNotifyType.InvalidKePayload, data);
    }

    private static bool TryComputeSharedSecret(KeyExchange keyExchange, byte[] peerPublicKey, out byte[] sharedSecret)
    {
        try
        {
            sharedSecret = keyExchange.ComputeSharedSecret(peerPublicKey);
            return true;
        }
        catch (CryptographicException)
        {
            sharedSecret = [];
            return false;
        }
    }

    /// <summary>g^ir of a CREATE_CHILD_SA response, or empty without PFS; throws when the KE payload is missing or bad.</summary>
    private static byte[] SharedSecretOf(IkeMessage response, KeyExchange? keyExchange, DhGroup group)
    {
        if (group == DhGroup.None || keyExchange is null)
        {
            return [];
        }

        if (response.Get<KeyExchangePayload>() is not { } ker || ker.Group != group || !TryComputeSharedSecret(keyExchange, ker.Data, out var secret))
        {
            throw new PeerException("CREATE_CHILD_SA response lacks a valid KE payload");
        }

        return secret;
    }
}
