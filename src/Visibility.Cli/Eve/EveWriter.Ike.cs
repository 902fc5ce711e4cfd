using System.Globalization;
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
        Begin(packet.TimestampNanoseconds, "ike", packet.Flow?.Id ?? 0, packet.FrameNumber, SourceName);
        WriteAddress("src_ip", meta.Source);
        _json.WriteNumber("src_port", meta.SourcePort);
        WriteAddress("dest_ip", meta.Destination);
        _json.WriteNumber("dest_port", meta.DestinationPort);
        _json.WriteString("proto", EveFormat.ProtocolName(meta.Protocol));
        ref readonly IkeMessageSummary s = ref message.Summary;
        bool v2 = s.IsIkeV2;
        _json.WriteStartObject("ike");
        _json.WriteNumber("version", s.MajorVersion);
        _json.WriteNumber("minor_version", s.MinorVersion);
        WriteSpi("init_spi", s.InitiatorSpi);
        WriteSpi("resp_spi", s.ResponderSpi);
        string? exchange = v2 ? IkeNames.GetName(s.ExchangeType) : s.IsIkeV1 ? IkeTrackerNames.IkeV1Exchange((byte)s.ExchangeType) : null;
        WriteStringOrNull("exchange", exchange);
        _json.WriteNumber("exchange_type", (byte)s.ExchangeType);
        if (v2)
        {
            _json.WriteBoolean("initiator", s.IsInitiator);
            _json.WriteBoolean("response", s.IsResponse);
        }
        else
        {
            _json.WriteNull("initiator");
            _json.WriteNull("response");
        }
        _json.WriteNumber("message_id", s.MessageId);
        _json.WriteNumber("length", s.Length);
        _json.WriteStartArray("payloads");
        if (v2)
        {
            foreach (IkePayloadType type in s.Payloads.PayloadTypes)
            {
                _json.WriteStringValue(IkeNames.GetName(type));
            }
        }
        _json.WriteEndArray();
        _json.WriteStartArray("notify");
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
            _json.WriteBoolean("decrypted", d);
        }
        else
        {
            _json.WriteNull("decrypted");
        }
        if (decrypted == true)
        {
            _json.WriteStartArray("encrypted_payloads");
            foreach (IkePayloadType type in message.Inner.PayloadTypes)
            {
                _json.WriteStringValue(IkeNames.GetName(type));
            }
            _json.WriteEndArray();
            _json.WriteStartArray("encrypted_notify");
            foreach (IkeNotifyType type in message.Inner.NotifyTypes)
            {
                _json.WriteStringValue(IkeNames.GetName(type));
            }
            _json.WriteEndArray();
        }
        else
        {
            _json.WriteNull("encrypted_payloads");
            _json.WriteNull("encrypted_notify");
        }
        if (message.RedirectNotify != IkeNotifyType.None)
        {
            _json.WriteStartObject("redirect");
            _json.WriteString("notify", IkeNames.GetName(message.RedirectNotify));
            WriteGatewayType(message.RedirectGateway.Type);
            WriteIdentity("gateway", in message.RedirectGateway);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("redirect");
        }
        if (message.QcdTokens > 0)
        {
            _json.WriteStartObject("qcd");
            _json.WriteNumber("tokens", message.QcdTokens);
            WriteHex("token", message.QcdToken.Bytes);
            _json.WriteBoolean("peer_lost_state", (message.Events & IkeEvents.PeerLostState) != 0);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("qcd");
        }
        if (message.HasEap)
        {
            _json.WriteStartObject("eap");
            _json.WriteString("code", IkeTrackerNames.EapCode(message.EapCode));
            _json.WriteNumber("id", message.EapIdentifier);
            if (message.EapType != 0)
            {
                _json.WriteNumber("type", message.EapType);
                WriteStringOrNull("type_name", IkeTrackerNames.EapType(message.EapType));
            }
            else
            {
                _json.WriteNull("type");
                _json.WriteNull("type_name");
            }
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("eap");
        }
        if (v2 && s.Payloads.EncryptedPayloadType == IkePayloadType.EncryptedFragment)
        {
            _json.WriteStartObject("fragment");
            _json.WriteNumber("number", s.Payloads.FragmentNumber);
            _json.WriteNumber("total", s.Payloads.TotalFragments);
            _json.WriteEndObject();
        }
        WriteEvents(message.Events);
        if (message.Sa is { } sa)
        {
            _json.WriteString("sa_state", IkeTrackerNames.State(sa.State));
        }
        _json.WriteEndObject();
        End();
    }

    public void OnIkeSaEnd(IkeSa sa)
    {
        Begin(sa.StartNanoseconds, "ike_sa", sa.FlowId, 0, sa.SourceName);
        WriteAddress("src_ip", sa.Initiator);
        _json.WriteNumber("src_port", sa.InitiatorPort);
        WriteAddress("dest_ip", sa.Responder);
        _json.WriteNumber("dest_port", sa.ResponderPort);
        _json.WriteString("proto", "UDP");
        _json.WriteStartObject("ike_sa");
        WriteSpi("init_spi", sa.InitiatorSpi);
        WriteSpi("resp_spi", sa.ResponderSpi);
        WriteAddress("initiator", sa.Initiator);
        WriteAddress("responder", sa.Responder);
        _json.WriteString("state", IkeTrackerNames.State(sa.State));
        _json.WriteString("outcome", IkeTrackerNames.Outcome(sa.State, sa.End));
        WriteIdentity("redirected_to", in sa.RedirectedTo);
        WriteIdentity("redirected_from", in sa.RedirectedFrom);
        WriteSpiOrNull("redirected_from_sa", sa.RedirectedFromSa);
        _json.WriteBoolean("eap_only", sa.EapOnly);
        string? authMethod = sa.InitiatorUsedEap ? "EAP" : sa.InitiatorAuthMethod != AuthMethod.None ? IkeNames.GetName(sa.InitiatorAuthMethod) : null;
        WriteStringOrNull("auth_method", authMethod);
        WriteStringOrNull("responder_auth_method", sa.ResponderAuthMethod != AuthMethod.None ? IkeNames.GetName(sa.ResponderAuthMethod) : null);
        if (sa.EapType != 0)
        {
            _json.WriteString("eap_type", IkeTrackerNames.EapType(sa.EapType) ?? sa.EapType.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            _json.WriteNull("eap_type");
        }
        WriteIdentity("initiator_id", in sa.InitiatorId);
        WriteIdentity("responder_id", in sa.ResponderId);
        _json.WriteStartArray("proposals");
        WriteProposals(sa.Offered.Entries);
        _json.WriteEndArray();
        if (sa.Chosen.Count > 0)
        {
            _json.WriteStartArray("chosen_proposal");
            foreach (IkeTransformEntry entry in sa.Chosen.Entries)
            {
                WriteTransformValue(entry);
            }
            _json.WriteEndArray();
        }
        else
        {
            _json.WriteNull("chosen_proposal");
        }
        WriteStringOrNull("ke_group", sa.KeyExchangeGroup != DhGroup.None ? IkeNames.GetName(sa.KeyExchangeGroup) : null);
        _json.WriteStartArray("child_sas");
        foreach (ref readonly IkeChildSa child in sa.ChildSas)
        {
            WriteChild(in child);
        }
        _json.WriteEndArray();
        WriteSpiOrNull("rekeyed_from", sa.RekeyedFrom);
        WriteSpiOrNull("rekeyed_to", sa.RekeyedTo);
        _json.WriteBoolean("rekey_inferred", sa.RekeyInferred);
        _json.WriteNumber("messages", sa.Messages);
        _json.WriteNumber("retransmissions", sa.Retransmissions);
        _json.WriteNumber("decrypted_messages", sa.DecryptedMessages);
        if (sa.EstablishedNanoseconds != 0)
        {
            _json.WriteString("established_by", sa.EstablishedByDecryption ? "decrypted" : "inferred");
        }
        else
        {
            _json.WriteNull("established_by");
        }
        _json.WriteBoolean("midstream", sa.Midstream);
        _json.WriteBoolean("resumed", sa.Resumed);
        WriteStringOrNull("ticket", IkeTrackerNames.Ticket(sa.Ticket));
        _json.WriteNumber("cookie_retries", sa.CookieRetries);
        _json.WriteNumber("invalid_ke_retries", sa.InvalidKeRetries);
        if (sa.QcdTokens > 0 || sa.PeerLostState)
        {
            _json.WriteStartObject("qcd");
            _json.WriteNumber("tokens", sa.QcdTokens);
            _json.WriteBoolean("peer_lost_state", sa.PeerLostState);
            if (sa.QcdTokenMatched is bool matched)
            {
                _json.WriteBoolean("token_matched", matched);
            }
            else
            {
                _json.WriteNull("token_matched");
            }
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("qcd");
        }
        _json.WriteStartObject("cluster");
        _json.WriteBoolean("message_id_sync_supported", sa.MessageIdSyncSupported);
        _json.WriteBoolean("replay_counter_sync_supported", sa.ReplayCounterSyncSupported);
        _json.WriteNumber("message_id_syncs", sa.MessageIdSyncs);
        _json.WriteNumber("replay_counter_syncs", sa.ReplayCounterSyncs);
        _json.WriteNumber("failover_signs", sa.FailoverSigns);
        _json.WriteEndObject();
        _json.WriteBoolean("wesp", sa.Wesp);
        _json.WriteNumber("fragments", sa.Fragments);
        WriteEvents(sa.Events);
        WriteTime("start", sa.StartNanoseconds);
        WriteTime("end", sa.LastNanoseconds);
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
        _json.WriteStartObject("ike_sa");
        WriteSpi("init_spi", link.InitiatorSpi);
        WriteSpi("resp_spi", link.ResponderSpi);
        _json.WriteString("link", IkeTrackerNames.Link(link.Kind));
        _json.WriteEndObject();
    }

    private void WriteChild(in IkeChildSa child)
    {
        _json.WriteStartObject();
        _json.WriteString("protocol", IkeNames.GetName(child.Protocol));
        _json.WriteNumber("initiator_spi", child.InitiatorSpi);
        _json.WriteNumber("responder_spi", child.ResponderSpi);
        _json.WriteString("encryption", IkeNames.GetName(child.Encryption));
        _json.WriteNumber("key_length", child.KeyLength);
        _json.WriteString("integrity", IkeNames.GetName(child.Integrity));
        _json.WriteBoolean("esn", child.ExtendedSequenceNumbers);
        _json.WriteString("mode", child.Transport ? "transport" : "tunnel");
        _json.WriteBoolean("wesp", child.Wesp);
        _json.WriteString("verdict", child.IsNull ? "null" : "encrypted");
        _json.WriteNumber("icv_len", child.IcvLength);
        _json.WriteString("exchange", IkeNames.GetName(child.Exchange));
        if (child.RekeyOf != 0)
        {
            _json.WriteNumber("rekey_of", child.RekeyOf);
        }
        else
        {
            _json.WriteNull("rekey_of");
        }
        _json.WriteBoolean("deleted", child.Deleted);
        WriteSelectors("ts_i", child.InitiatorSelectors.Ranges);
        WriteSelectors("ts_r", child.ResponderSelectors.Ranges);
        _json.WriteEndObject();
    }

    private void WriteSelectors(string name, ReadOnlySpan<IkeTrafficRange> ranges)
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
        _json.WriteStartArray("events");
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
                _json.WriteString("gateway_type", "ipv4");
                break;
            case GatewayIdentityType.IPv6Address:
                _json.WriteString("gateway_type", "ipv6");
                break;
            case GatewayIdentityType.Fqdn:
                _json.WriteString("gateway_type", "fqdn");
                break;
            default:
                _json.WriteNumber("gateway_type", type);
                break;
        }
    }

    private void WriteIdentity(string name, ref readonly IkeIdentity identity)
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

    private void WriteSpi(string name, ulong spi)
    {
        spi.TryFormat(_text, out int n, "x16", CultureInfo.InvariantCulture);
        _json.WriteString(name, _text.AsSpan(0, n));
    }

    private void WriteSpiOrNull(string name, ulong spi)
    {
        if (spi == 0)
        {
            _json.WriteNull(name);
            return;
        }
        WriteSpi(name, spi);
    }

    private void WriteHex(string name, ReadOnlySpan<byte> bytes)
    {
        int n = Math.Min(bytes.Length, _text.Length / 2);
        for (int i = 0; i < n; i++)
        {
            _text[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
            _text[(2 * i) + 1] = "0123456789abcdef"[bytes[i] & 0xF];
        }
        _json.WriteString(name, _text.AsSpan(0, 2 * n));
    }

    private void WriteStringOrNull(string name, string? value)
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
