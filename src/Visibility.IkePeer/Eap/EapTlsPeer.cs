using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Eap;

/// <summary>The EAP peer of an IKE_AUTH with EAP: answers Identity, runs EAP-TLS (RFC 5216) over BouncyCastle's TLS in
/// non-blocking mode, and yields the MSK once the server sends EAP-Success.</summary>
/// <remarks>
/// Fragments are handled by <see cref="EapTlsFragments"/> (RFC 5216 §2.1.5, §3.1). After the server's Finished the peer
/// answers with an empty EAP-TLS response and the server ends with EAP-Success (§2.1.1).
/// MSK = the first 64 octets of <c>TLS-PRF-128(master secret, "client EAP encryption", client.random | server.random)</c>
/// (§2.3), which is TLS 1.2's keying material exporter without context (RFC 5705 §4).
/// </remarks>
internal sealed class EapTlsPeer
{
    private readonly byte[] _identity;
    private readonly EapTlsClient _client;
    private readonly TlsClientProtocol _protocol = new();
    private readonly EapTlsFragments _fragments = new();
    private bool _started;

    public EapTlsPeer(string identity, EapTlsCredentials credentials)
    {
        _identity = Encoding.UTF8.GetBytes(identity);
        _client = new EapTlsClient(new BcTlsCrypto(new SecureRandom()), credentials);
    }

    /// <summary>The server sent EAP-Success after a complete TLS handshake.</summary>
    public bool Succeeded { get; private set; }

    /// <summary>The Master Session Key (64 octets), once <see cref="Succeeded"/>.</summary>
    public byte[] Msk { get; private set; } = [];

    /// <summary>Answers one EAP packet from the server; null after EAP-Success (nothing to send). Throws
    /// <see cref="EapException"/> on EAP-Failure, a protocol error or a failed TLS handshake.</summary>
    public byte[]? Respond(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length)
        {
            throw new EapException("malformed EAP packet");
        }

        var code = (EapCode)packet[0];
        var identifier = packet[1];
        switch (code)
        {
            case EapCode.Success when _client.HandshakeComplete:
                Msk = _client.Msk;
                Succeeded = true;
                return null;
            case EapCode.Success:
                throw new EapException("EAP-Success before the TLS handshake completed");
            case EapCode.Failure:
                throw new EapException("the server sent EAP-Failure");
            case EapCode.Request when packet.Length >= 5:
                break;
            default:
                throw new EapException($"unexpected EAP code {(byte)code}");
        }

        var typeData = packet[5..];
        return (EapMethod)packet[4] switch
        {
            EapMethod.Identity => EapPacket.Build(EapCode.Response, identifier, EapMethod.Identity, _identity),
            EapMethod.Tls => OnTls(identifier, typeData),
            // Any other method: propose EAP-TLS instead (Legacy Nak, RFC 3748 §5.3.1).
            _ => EapPacket.Build(EapCode.Response, identifier, EapMethod.Nak, [(byte)EapMethod.Tls]),
        };
    }

    /// <summary>RFC 5216 §2.3: the first 64 octets of <c>TLS-PRF(master secret, "client EAP encryption", client.random |
    /// server.random)</c>. Derived from the master secret directly: BouncyCastle's RFC 5705 exporter computes the same but
    /// refuses sessions without the extended master secret (RFC 7627), which strongSwan does not negotiate.</summary>
    public static byte[] DeriveMsk(TlsContext context)
    {
        var parameters = context.SecurityParameters ?? throw new InvalidOperationException("no TLS security parameters");
        var seed = new byte[parameters.ClientRandom.Length + parameters.ServerRandom.Length];
        parameters.ClientRandom.CopyTo(seed, 0);
        parameters.ServerRandom.CopyTo(seed, parameters.ClientRandom.Length);
        return parameters.MasterSecret.DeriveUsingPrf(parameters.PrfAlgorithm, "client EAP encryption", seed, 64).Extract();
    }

    private byte[] OnTls(byte identifier, ReadOnlySpan<byte> typeData)
    {
        try
        {
            var complete = _fragments.Receive(typeData, out var flags, out var records);
            if ((flags & EapTlsFragments.FlagStart) != 0)
            {
                if (_started)
                {
                    throw new EapException("a second EAP-TLS Start");
                }

                _started = true;
                _protocol.Connect(_client);
                return SendPending(identifier);
            }

            if (!_started)
            {
                throw new EapException("EAP-TLS data before Start");
            }

            if (!complete)
            {
                return Tls(identifier, EapTlsFragments.Empty);
            }

            if (records.Length == 0 && _fragments.HasMoreToSend)
            {
                // The server acknowledged our fragment: send the next one.
                return Tls(identifier, _fragments.NextFragment());
            }

            if (records.Length > 0)
            {
                _protocol.OfferInput(records);
            }

            return SendPending(identifier);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
        {
            var detail = _client.AlertReason is { } reason ? $" ({reason})" : string.Empty;
            throw new EapException($"TLS handshake failed: {e.Message}{detail}", e);
        }
    }

    /// <summary>Sends what TLS produced (first fragment), or an empty message when it produced nothing.</summary>
    private byte[] SendPending(byte identifier)
    {
        var available = _protocol.GetAvailableOutputBytes();
        if (available == 0)
        {
            return Tls(identifier, EapTlsFragments.Empty);
        }

        var records = new byte[available];
        _protocol.ReadOutput(records, 0, available);
        _fragments.Queue(records);
        return Tls(identifier, _fragments.NextFragment());
    }

    private static byte[] Tls(byte identifier, byte[] typeData) => EapPacket.Build(EapCode.Response, identifier, EapMethod.Tls, typeData);
}
