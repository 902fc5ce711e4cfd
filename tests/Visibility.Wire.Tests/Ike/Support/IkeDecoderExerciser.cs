using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>Runs every IKE decoder over a byte span as deeply as the bytes allow: header, summary, the chain
/// reader, each payload view and its sub-readers, and every notify data parser. Used by the truncation sweeps
/// and the random-input properties; returns a count of things read so a sweep can tell it did real work.</summary>
internal static class IkeDecoderExerciser
{
    private static readonly IkeSkDecryptor s_gcm = new(EncryptionAlgorithm.AesGcm16, new byte[20], IntegrityAlgorithm.None, []);
    private static readonly IkeSkDecryptor s_cbc = new(EncryptionAlgorithm.AesCbc, new byte[16], IntegrityAlgorithm.HmacSha1_96, new byte[20]);
    private static readonly IkeSkDecryptor s_ctr = new(EncryptionAlgorithm.AesCtr, new byte[20], IntegrityAlgorithm.HmacSha2_256_128, new byte[32]);
    private static readonly Lock s_cryptoLock = new();

    public static int Exercise(ReadOnlySpan<byte> bytes)
    {
        int touched = 0;
        IkeMessageSummary.TryRead(bytes, out IkeMessageSummary summary);
        touched += summary.Payloads.TotalPayloadCount;
        Span<char> text = stackalloc char[300];
        summary.Payloads.TryFormatRedirectGateway(text, out _);
        if (IkeHeader.TryRead(bytes, out IkeHeader header))
        {
            touched++;
            _ = header.Message;
            _ = header.Payloads;
            IkePayloadReader reader = IkePayloadReader.ForMessage(header);
            while (reader.TryReadNext(out IkePayload payload))
            {
                touched += ExercisePayload(payload);
            }
            if (summary.Payloads.HasEncrypted)
            {
                byte[] plaintext = new byte[bytes.Length];
                lock (s_cryptoLock)
                {
                    foreach (IkeSkDecryptor decryptor in (IkeSkDecryptor[])[s_gcm, s_cbc, s_ctr])
                    {
                        decryptor.Decrypt(header.Message, summary.Payloads.EncryptedPayloadType, summary.Payloads.EncryptedOffset, plaintext);
                    }
                }
            }
        }
        // The same bytes read as a bare inner chain (as after decryption), starting with each kind of payload.
        foreach (IkePayloadType first in (IkePayloadType[])[IkePayloadType.Notify, IkePayloadType.SecurityAssociation, IkePayloadType.Encrypted])
        {
            IkePayloadSummary.Read(bytes, 0, first, out IkePayloadSummary inner);
            touched += inner.TotalPayloadCount;
        }
        // And every view straight over the bytes.
        touched += ExerciseBody(IkePayloadType.SecurityAssociation, bytes);
        touched += ExerciseBody(IkePayloadType.TrafficSelectorInitiator, bytes);
        touched += ExerciseBody(IkePayloadType.Configuration, bytes);
        touched += ExerciseBody(IkePayloadType.Notify, bytes);
        return touched;
    }

    private static int ExercisePayload(IkePayload payload)
    {
        _ = payload.IsCritical;
        _ = payload.NextPayload;
        int touched = 1 + ExerciseBody(payload.Type, payload.Body);
        if (IkeEncryptedPayload.TryRead(payload.Bytes, out IkeEncryptedPayload sk))
        {
            touched += sk.EncryptedPart.Length > 0 ? 1 : 0;
        }
        if (IkeEncryptedFragmentPayload.TryRead(payload.Bytes, out IkeEncryptedFragmentPayload skf))
        {
            touched += skf.AreNumbersValid ? 1 : 0;
        }
        return touched;
    }

    private static int ExerciseBody(IkePayloadType type, ReadOnlySpan<byte> body)
    {
        int touched = 0;
        switch (type)
        {
            case IkePayloadType.SecurityAssociation:
                if (IkeSaPayload.TryRead(body, out IkeSaPayload sa))
                {
                    IkeProposalReader proposals = sa.GetProposals();
                    while (proposals.TryReadNext(out IkeProposal proposal))
                    {
                        touched++;
                        _ = proposal.Spi32 + proposal.Spi64;
                        IkeTransformReader transforms = proposal.GetTransforms();
                        while (transforms.TryReadNext(out IkeTransform transform))
                        {
                            touched += 1 + transform.KeyLength;
                            IkeTransformAttributeReader attributes = transform.GetAttributes();
                            while (attributes.TryReadNext(out IkeTransformAttribute attribute))
                            {
                                touched += attribute.ValueBytes.Length + attribute.Value;
                            }
                        }
                    }
                }
                break;
            case IkePayloadType.KeyExchange:
                if (IkeKeyExchangePayload.TryRead(body, out IkeKeyExchangePayload ke))
                {
                    touched += (int)ke.DhGroup + ke.KeyExchangeData.Length;
                }
                break;
            case IkePayloadType.IdentificationInitiator:
            case IkePayloadType.IdentificationResponder:
                if (IkeIdentificationPayload.TryRead(body, out IkeIdentificationPayload id))
                {
                    touched += id.IsDataLengthValid ? 1 : 0;
                }
                break;
            case IkePayloadType.Certificate:
            case IkePayloadType.CertificateRequest:
                if (IkeCertificatePayload.TryRead(body, out IkeCertificatePayload cert))
                {
                    touched += cert.Data.Length;
                }
                break;
            case IkePayloadType.Authentication:
                if (IkeAuthenticationPayload.TryRead(body, out IkeAuthenticationPayload auth))
                {
                    touched += (int)auth.AuthMethod;
                }
                break;
            case IkePayloadType.Nonce:
                if (IkeNoncePayload.TryRead(body, out IkeNoncePayload nonce))
                {
                    touched += nonce.IsLengthValid ? 1 : 0;
                }
                break;
            case IkePayloadType.Notify:
                if (IkeNotifyPayload.TryRead(body, out IkeNotifyPayload notify))
                {
                    touched += 1 + (int)notify.Spi32;
                    touched += ExerciseNotifyData(notify.Data);
                }
                break;
            case IkePayloadType.Delete:
                if (IkeDeletePayload.TryRead(body, out IkeDeletePayload delete))
                {
                    for (int i = 0; delete.TryGetSpi32(i, out uint spi); i++)
                    {
                        touched += (int)(spi & 1);
                    }
                }
                break;
            case IkePayloadType.VendorId:
                if (IkeVendorIdPayload.TryRead(body, out IkeVendorIdPayload vendor))
                {
                    touched += vendor.VendorId.Length;
                }
                break;
            case IkePayloadType.TrafficSelectorInitiator:
            case IkePayloadType.TrafficSelectorResponder:
                if (IkeTrafficSelectorPayload.TryRead(body, out IkeTrafficSelectorPayload ts))
                {
                    IkeTrafficSelectorReader selectors = ts.GetSelectors();
                    while (selectors.TryReadNext(out IkeTrafficSelector selector))
                    {
                        touched += selector.StartPort + selector.EndPort + selector.StartAddress.Length + selector.EndAddress.Length;
                        _ = selector.StartNetworkAddress;
                        _ = selector.EndNetworkAddress;
                    }
                }
                break;
            case IkePayloadType.Configuration:
                if (IkeConfigurationPayload.TryRead(body, out IkeConfigurationPayload cp))
                {
                    IkeConfigurationAttributeReader attributes = cp.GetAttributes();
                    while (attributes.TryReadNext(out IkeConfigurationAttribute attribute))
                    {
                        touched += attribute.Type + attribute.Value.Length;
                    }
                }
                break;
            case IkePayloadType.Eap:
                if (IkeEapPayload.TryRead(body, out IkeEapPayload eap))
                {
                    touched += eap.Type + eap.TypeData.Length + (eap.IsLengthConsistent ? 1 : 0);
                }
                break;
        }
        return touched;
    }

    private static int ExerciseNotifyData(ReadOnlySpan<byte> data)
    {
        int touched = 0;
        Span<char> text = stackalloc char[300];
        if (IkeRedirectData.TryRead(data, out IkeRedirectData redirect))
        {
            touched += redirect.Nonce.Length;
            _ = redirect.GatewayAddress;
            redirect.TryFormatGateway(text, out _);
            redirect.TryFormatGateway(text[..3], out _);
        }
        touched += IkeQcdTokenData.TryRead(data, out _) ? 1 : 0;
        if (IkeTicketLtOpaqueData.TryRead(data, out IkeTicketLtOpaqueData lt))
        {
            touched += (int)(lt.Lifetime & 1) + lt.Ticket.Length;
        }
        touched += IkeTicketOpaqueData.TryRead(data, out _) ? 1 : 0;
        if (IkeMessageIdSyncData.TryRead(data, out IkeMessageIdSyncData sync))
        {
            touched += (int)((sync.Nonce ^ sync.ExpectedSendRequestMessageId ^ sync.ExpectedReceiveRequestMessageId) & 1);
        }
        if (IkeReplayCounterSyncData.TryRead(data, out IkeReplayCounterSyncData counter))
        {
            touched += (int)(counter.IncomingSaDelta & 1);
        }
        if (IkeSecurePasswordMethodsData.TryRead(data, out IkeSecurePasswordMethodsData methods))
        {
            for (int i = 0; i < methods.Count; i++)
            {
                touched += methods.GetMethod(i) & 1;
            }
        }
        touched += IkeCookieData.TryRead(data, out _) ? 1 : 0;
        if (IkeInvalidKePayloadData.TryRead(data, out IkeInvalidKePayloadData invalidKe))
        {
            touched += (int)invalidKe.AcceptedGroup;
        }
        touched += IkeNatDetectionData.TryRead(data, out _) ? 1 : 0;
        return touched;
    }
}
