using System.Globalization;
using System.Text.Json;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Cli.Eve;

/// <summary>The IKE records: <c>ike</c> (one per IKE datagram), <c>ike_sa</c> (one per IKE SA, at its end) and the
/// <c>ike_sa</c> link on ESP flow and esp records. Field list in README.md and eve.schema.json.</summary>
internal sealed partial class EveWriter
{
    private readonly char[] _text = new char[1024];

    public void OnIkeMessage(in PacketContext packet, IkeMessageRecord message)
    {
        ref readonly PacketMeta meta = ref packet.Meta;
        Begin(packet.TimestampNanoseconds, EveNames.Ike, packet.Flow?.Id ?? 0, packet.FrameNumber, SourceName);
        WriteAddress(EveNames.SrcIp, meta.Source);
        _json.WriteNumber(EveNames.SrcPort, meta.SourcePort);
        WriteAddress(EveNames.DestIp, meta.Destination);
        _json.WriteNumber(EveNames.DestPort, meta.DestinationPort);
        _json.WriteString(EveNames.Proto, EveFormat.ProtocolName(meta.Protocol));
        ref readonly IkeMessageSummary s = ref message.Summary;
        bool v2 = s.IsIkeV2;
        _json.WriteStartObject(EveNames.Ike);
        _json.WriteNumber(EveNames.Version, s.MajorVersion);
        _json.WriteNumber(EveNames.MinorVersion, s.MinorVersion);
        WriteSpi(EveNames.InitSpi, s.InitiatorSpi);
        WriteSpi(EveNames.RespSpi, s.ResponderSpi);
        string? exchange = v2 ? IkeNames.GetName(s.ExchangeType) : s.IsIkeV1 ? IkeTrackerNames.IkeV1Exchange((byte)s.ExchangeType) : null;
        WriteStringOrNull(EveNames.Exchange, exchange);
        _json.WriteNumber(EveNames.ExchangeType, (byte)s.ExchangeType);
        if (v2)
        {
            _json.WriteBoolean(EveNames.Initiator, s.IsInitiator);
            _json.WriteBoolean(EveNames.Response, s.IsResponse);
        }
        else
        {
            _json.WriteNull(EveNames.Initiator);
            _json.WriteNull(EveNames.Response);
        }
        _json.WriteNumber(EveNames.MessageId, s.MessageId);
        _json.WriteNumber(EveNames.Length, s.Length);
        _json.WriteStartArray(EveNames.Payloads);
        if (v2)
        {
            foreach (IkePayloadType type in s.Payloads.PayloadTypes)
            {
                _json.WriteStringValue(IkeNames.GetName(type));
            }
        }
        _json.WriteEndArray();
        _json.WriteStartArray(EveNames.Notify);
        if (v2)
        {
            foreach (IkeNotifyType type in s.Payloads.NotifyTypes)
            {
                _json.WriteStringValue(IkeNames.GetName(type));
            }
        }
        _json.WriteEndArray();
        bool? decrypted = message.IsDecrypted;
        if (decrypted is bool d)
        {
            _json.WriteBoolean(EveNames.Decrypted, d);
        }
        else
        {
            _json.WriteNull(EveNames.Decrypted);
        }
        if (decrypted == true)
        {
            _json.WriteStartArray(EveNames.EncryptedPayloads);
            foreach (IkePayloadType type in message.Inner.PayloadTypes)
            {
                _json.WriteStringValue(IkeNames.GetName(type));
            }
            _json.WriteEndArray();
            _json.WriteStartArray(EveNames.EncryptedNotify);
            foreach (IkeNotifyType type in message.Inner.NotifyTypes)
            {
                _json.WriteStringValue(IkeNames.GetName(type));
            }
            _json.WriteEndArray();
        }
        else
        {
            _json.WriteNull(EveNames.EncryptedPayloads);
            _json.WriteNull(EveNames.EncryptedNotify);
        }
        if (message.RedirectNotify != IkeNotifyType.None)
        {
            _json.WriteStartObject(EveNames.Redirect);
            _json.WriteString(EveNames.Notify, IkeNames.GetName(message.RedirectNotify));
            WriteGatewayType(message.RedirectGateway.Type);
            WriteIdentity(EveNames.Gateway, in message.RedirectGateway);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull(EveNames.Redirect);
        }
        if (message.QcdTokens > 0)
        {
            _json.WriteStartObject(EveNames.Qcd);
            _json.WriteNumber(EveNames.Tokens, message.QcdTokens);
            WriteHex(EveNames.Token, message.QcdToken.Bytes);
            _json.WriteBoolean(EveNames.PeerLostState, (message.Events & IkeEvents.PeerLostState) != 0);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull(EveNames.Qcd);
        }
        if (message.HasEap)
        {
            _json.WriteStartObject(EveNames.Eap);
            _json.WriteString(EveNames.Code, IkeTrackerNames.EapCode(message.EapCode));
            _json.WriteNumber(EveNames.Id, message.EapIdentifier);
            if (message.EapType != 0)
            {
                _json.WriteNumber(EveNames.Type, message.EapType);
                WriteStringOrNull(EveNames.TypeName, IkeTrackerNames.EapType(message.EapType));
            }
            else
            {
                _json.WriteNull(EveNames.Type);
                _json.WriteNull(EveNames.TypeName);
            }
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull(EveNames.Eap);
        }
        if (v2 && s.Payloads.EncryptedPayloadType == IkePayloadType.EncryptedFragment)
        {
            _json.WriteStartObject(EveNames.Fragment);
            _json.WriteNumber(EveNames.Number, s.Payloads.FragmentNumber);
            _json.WriteNumber(EveNames.Total, s.Payloads.TotalFragments);
            _json.WriteEndObject();
        }
        WriteEvents(message.Events);
        if (message.Sa is { } sa)
        {
            _json.WriteString(EveNames.SaState, IkeTrackerNames.State(sa.State));
        }
        _json.WriteEndObject();
        End();
    }

    public void OnIkeSaEnd(IkeSa sa)
    {
        Begin(sa.StartNanoseconds, EveNames.IkeSa, sa.FlowId, 0, sa.SourceName);
        WriteAddress(EveNames.SrcIp, sa.Initiator);
        _json.WriteNumber(EveNames.SrcPort, sa.InitiatorPort);
        WriteAddress(EveNames.DestIp, sa.Responder);
        _json.WriteNumber(EveNames.DestPort, sa.ResponderPort);
        _json.WriteString(EveNames.Proto, "UDP");
        _json.WriteStartObject(EveNames.IkeSa);
        WriteSpi(EveNames.InitSpi, sa.InitiatorSpi);
        WriteSpi(EveNames.RespSpi, sa.ResponderSpi);
        WriteAddress(EveNames.Initiator, sa.Initiator);
        WriteAddress(EveNames.Responder, sa.Responder);
        _json.WriteString(EveNames.State, IkeTrackerNames.State(sa.State));
        _json.WriteString(EveNames.Outcome, IkeTrackerNames.Outcome(sa.State, sa.End));
        WriteIdentity(EveNames.RedirectedTo, in sa.RedirectedTo);
        WriteIdentity(EveNames.RedirectedFrom, in sa.RedirectedFrom);
        WriteSpiOrNull(EveNames.RedirectedFromSa, sa.RedirectedFromSa);
        _json.WriteBoolean(EveNames.EapOnly, sa.EapOnly);
        string? authMethod = sa.InitiatorUsedEap ? "EAP" : sa.InitiatorAuthMethod != AuthMethod.None ? IkeNames.GetName(sa.InitiatorAuthMethod) : null;
        WriteStringOrNull(EveNames.AuthMethod, authMethod);
        WriteStringOrNull(EveNames.ResponderAuthMethod, sa.ResponderAuthMethod != AuthMethod.None ? IkeNames.GetName(sa.ResponderAuthMethod) : null);
        if (sa.EapType != 0)
        {
            _json.WriteString(EveNames.EapType, IkeTrackerNames.EapType(sa.EapType) ?? sa.EapType.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            _json.WriteNull(EveNames.EapType);
        }
        WriteIdentity(EveNames.InitiatorId, in sa.InitiatorId);
        WriteIdentity(EveNames.ResponderId, in sa.ResponderId);
        _json.WriteStartArray(EveNames.Proposals);
        WriteProposals(sa.Offered.Entries);
        _json.WriteEndArray();
        if (sa.Chosen.Count > 0)
        {
            _json.WriteStartArray(EveNames.ChosenProposal);
            foreach (IkeTransformEntry entry in sa.Chosen.Entries)
            {
                WriteTransformValue(entry);
            }
            _json.WriteEndArray();
        }
        else
        {
            _json.WriteNull(EveNames.ChosenProposal);
        }
        WriteStringOrNull(EveNames.KeGroup, sa.KeyExchangeGroup != DhGroup.None ? IkeNames.GetName(sa.KeyExchangeGroup) : null);
        _json.WriteStartArray(EveNames.ChildSas);
        foreach (ref readonly IkeChildSa child in sa.ChildSas)
        {
            WriteChild(in child);
        }
        _json.WriteEndArray();
        WriteSpiOrNull(EveNames.RekeyedFrom, sa.RekeyedFrom);
        WriteSpiOrNull(EveNames.RekeyedTo, sa.RekeyedTo);
        _json.WriteBoolean(EveNames.RekeyInferred, sa.RekeyInferred);
        _json.WriteNumber(EveNames.Messages, sa.Messages);
        _json.WriteNumber(EveNames.Retransmissions, sa.Retransmissions);
        _json.WriteNumber(EveNames.DecryptedMessages, sa.DecryptedMessages);
        if (sa.EstablishedNanoseconds != 0)
        {
            _json.WriteString(EveNames.EstablishedBy, sa.EstablishedByDecryption ? "decrypted" : "inferred");
        }
        else
        {
            _json.WriteNull(EveNames.EstablishedBy);
        }
        _json.WriteBoolean(EveNames.Midstream, sa.Midstream);
        _json.WriteBoolean(EveNames.Resumed, sa.Resumed);
        WriteStringOrNull(EveNames.Ticket, IkeTrackerNames.Ticket(sa.Ticket));
        _json.WriteNumber(EveNames.CookieRetries, sa.CookieRetries);
        _json.WriteNumber(EveNames.InvalidKeRetries, sa.InvalidKeRetries);
        if (sa.QcdTokens > 0 || sa.PeerLostState)
        {
            _json.WriteStartObject(EveNames.Qcd);
            _json.WriteNumber(EveNames.Tokens, sa.QcdTokens);
            _json.WriteBoolean(EveNames.PeerLostState, sa.PeerLostState);
            if (sa.QcdTokenMatched is bool matched)
            {
                _json.WriteBoolean(EveNames.TokenMatched, matched);
            }
            else
            {
                _json.WriteNull(EveNames.TokenMatched);
            }
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull(EveNames.Qcd);
        }
        _json.WriteStartObject(EveNames.Cluster);
        _json.WriteBoolean(EveNames.MessageIdSyncSupported, sa.MessageIdSyncSupported);
        _json.WriteBoolean(EveNames.ReplayCounterSyncSupported, sa.ReplayCounterSyncSupported);
        _json.WriteNumber(EveNames.MessageIdSyncs, sa.MessageIdSyncs);
        _json.WriteNumber(EveNames.ReplayCounterSyncs, sa.ReplayCounterSyncs);
        _json.WriteNumber(EveNames.FailoverSigns, sa.FailoverSigns);
        _json.WriteEndObject();
        _json.WriteBoolean(EveNames.Wesp, sa.Wesp);
        _json.WriteNumber(EveNames.Fragments, sa.Fragments);
        WriteEvents(sa.Events);
        WriteTime(EveNames.Start, sa.StartNanoseconds);
        WriteTime(EveNames.End, sa.LastNanoseconds);
        _json.WriteEndObject();
        End();
    }

    /// <summary>The <c>ike_sa: {init_spi, resp_spi, link}</c> of an ESP/WESP flow, when linked.</summary>
    private void WriteIkeSaLink(FlowState flow)
    {
        ref readonly IkeSaLink link = ref flow.IkeSa;
        if (!link.IsLinked)
        {
            return;
        }
        _json.WriteStartObject(EveNames.IkeSa);
        WriteSpi(EveNames.InitSpi, link.InitiatorSpi);
        WriteSpi(EveNames.RespSpi, link.ResponderSpi);
        _json.WriteString(EveNames.Link, IkeTrackerNames.Link(link.Kind));
        _json.WriteEndObject();
    }

    private void WriteChild(in IkeChildSa child)
    {
        _json.WriteStartObject();
        _json.WriteString(EveNames.Protocol, IkeNames.GetName(child.Protocol));
        _json.WriteNumber(EveNames.InitiatorSpi, child.InitiatorSpi);
        _json.WriteNumber(EveNames.ResponderSpi, child.ResponderSpi);
        _json.WriteString(EveNames.Encryption, IkeNames.GetName(child.Encryption));
        _json.WriteNumber(EveNames.KeyLength, child.KeyLength);
        _json.WriteString(EveNames.Integrity, IkeNames.GetName(child.Integrity));
        _json.WriteBoolean(EveNames.Esn, child.ExtendedSequenceNumbers);
        _json.WriteString(EveNames.Mode, child.Transport ? "transport" : "tunnel");
        _json.WriteBoolean(EveNames.Wesp, child.Wesp);
        _json.WriteString(EveNames.Verdict, child.IsNull ? "null" : "encrypted");
        _json.WriteNumber(EveNames.IcvLen, child.IcvLength);
        _json.WriteString(EveNames.Exchange, IkeNames.GetName(child.Exchange));
        if (child.RekeyOf != 0)
        {
            _json.WriteNumber(EveNames.RekeyOf, child.RekeyOf);
        }
        else
        {
            _json.WriteNull(EveNames.RekeyOf);
        }
        _json.WriteBoolean(EveNames.Deleted, child.Deleted);
        WriteSelectors(EveNames.TsI, child.InitiatorSelectors.Ranges);
        WriteSelectors(EveNames.TsR, child.ResponderSelectors.Ranges);
        _json.WriteEndObject();
    }

    private void WriteSelectors(JsonEncodedText name, ReadOnlySpan<IkeTrafficRange> ranges)
    {
        _json.WriteStartArray(name);
        foreach (IkeTrafficRange range in ranges)
        {
            // "start-end proto/startport-endport", e.g. "192.0.2.0-192.0.2.255 0/0-65535".
            Span<char> text = _text;
            int n = 0;
            if (range.Start.TryFormat(text, out int written))
            {
                n += written;
            }
            text[n++] = '-';
            if (range.End.TryFormat(text[n..], out written))
            {
                n += written;
            }
            text[n++] = ' ';
            ((byte)range.Protocol).TryFormat(text[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
            text[n++] = '/';
            range.StartPort.TryFormat(text[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
            text[n++] = '-';
            range.EndPort.TryFormat(text[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
            _json.WriteStringValue(text[..n]);
        }
        _json.WriteEndArray();
    }

    /// <summary>Proposals as arrays of transform names, one array per proposal number.</summary>
    private void WriteProposals(ReadOnlySpan<IkeTransformEntry> entries)
    {
        int current = -1;
        foreach (IkeTransformEntry entry in entries)
        {
            if (entry.ProposalNumber != current)
            {
                if (current >= 0)
                {
                    _json.WriteEndArray();
                }
                _json.WriteStartArray();
                current = entry.ProposalNumber;
            }
            WriteTransformValue(entry);
        }
        if (current >= 0)
        {
            _json.WriteEndArray();
        }
    }

    /// <summary>IANA name of a transform, with "_" and the Key Length in bits when it has one (ENCR_AES_CBC_128).</summary>
    private void WriteTransformValue(IkeTransformEntry entry)
    {
        string name = entry.Type switch
        {
            TransformType.Encryption => IkeNames.GetName((EncryptionAlgorithm)entry.Id),
            TransformType.PseudorandomFunction => IkeNames.GetName((PrfAlgorithm)entry.Id),
            TransformType.Integrity => IkeNames.GetName((IntegrityAlgorithm)entry.Id),
            TransformType.DiffieHellman => IkeNames.GetName((DhGroup)entry.Id),
            TransformType.ExtendedSequenceNumbers => entry.Id == 1 ? "ESN" : "NO_ESN",
            _ => IkeNames.GetName(entry.Type),
        };
        if (entry.KeyLength == 0)
        {
            _json.WriteStringValue(name);
            return;
        }
        Span<char> text = _text;
        name.CopyTo(text);
        int n = name.Length;
        text[n++] = '_';
        entry.KeyLength.TryFormat(text[n..], out int written, default, CultureInfo.InvariantCulture);
        _json.WriteStringValue(text[..(n + written)]);
    }

    private void WriteEvents(IkeEvents events)
    {
        _json.WriteStartArray(EveNames.Events);
        foreach ((IkeEvents e, string name) in IkeTrackerNames.Events)
        {
            if ((events & e) != 0)
            {
                _json.WriteStringValue(name);
            }
        }
        _json.WriteEndArray();
    }

    private void WriteGatewayType(byte type)
    {
        switch ((GatewayIdentityType)type)
        {
            case GatewayIdentityType.IPv4Address:
                _json.WriteString(EveNames.GatewayType, "ipv4");
                break;
            case GatewayIdentityType.IPv6Address:
                _json.WriteString(EveNames.GatewayType, "ipv6");
                break;
            case GatewayIdentityType.Fqdn:
                _json.WriteString(EveNames.GatewayType, "fqdn");
                break;
            default:
                _json.WriteNumber(EveNames.GatewayType, type);
                break;
        }
    }

    private void WriteIdentity(JsonEncodedText name, ref readonly IkeIdentity identity)
    {
        if (identity.IsSet && identity.TryFormat(_text, out int n))
        {
            _json.WriteString(name, _text.AsSpan(0, n));
        }
        else
        {
            _json.WriteNull(name);
        }
    }

    private void WriteSpi(JsonEncodedText name, ulong spi)
    {
        spi.TryFormat(_text, out int n, "x16", CultureInfo.InvariantCulture);
        _json.WriteString(name, _text.AsSpan(0, n));
    }

    private void WriteSpiOrNull(JsonEncodedText name, ulong spi)
    {
        if (spi == 0)
        {
            _json.WriteNull(name);
            return;
        }
        WriteSpi(name, spi);
    }

    private void WriteHex(JsonEncodedText name, ReadOnlySpan<byte> bytes)
    {
        int n = Math.Min(bytes.Length, _text.Length / 2);
        for (int i = 0; i < n; i++)
        {
            _text[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
            _text[(2 * i) + 1] = "0123456789abcdef"[bytes[i] & 0xF];
        }
        _json.WriteString(name, _text.AsSpan(0, 2 * n));
    }

    private void WriteStringOrNull(JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            _json.WriteNull(name);
        }
        else
        {
            _json.WriteString(name, value);
        }
    }
}
