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
/// EAP-TLS Type-Data (RFC 5216 §3.1):
/// <code>
/// | Flags: L M S R R R R R | TLS Message Length (4, when L) | TLS data ... |
/// </code>
/// L = length included, M = more fragments follow, S = start. A fragment with M set is acknowledged by an EAP-TLS
/// message without data (§2.1.5); our own records are sent in fragments of at most <see cref="FragmentSize"/> octets,
/// each fragment after the first sent when the server's empty request acknowledges the previous one. After the server's
/// Finished the peer answers with an empty EAP-TLS response and the server ends with EAP-Success (§2.1.1).
/// MSK = the first 64 octets of <c>TLS-PRF-128(master secret, "client EAP encryption", client.random | server.random)</c>
/// (§2.3), which is TLS 1.2's keying material exporter without context (RFC 5705 §4).
/// </remarks>
internal sealed class EapTlsPeer
{
    public const int FragmentSize = 1000;
    private const byte FlagLength = 0x80;
    private const byte FlagMore = 0x40;
    private const byte FlagStart = 0x20;

    private readonly byte[] _identity;
    private readonly EapTlsClient _client;
    private readonly TlsClientProtocol _protocol = new();
    private readonly MemoryStream _incoming = new();
    private byte[] _outgoing = [];
    private int _outgoingSent;
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
        if (typeData.IsEmpty)
        {
            throw new EapException("EAP-TLS request without flags");
        }

        var flags = typeData[0];
        var data = typeData[1..];
        if ((flags & FlagLength) != 0)
        {
            if (data.Length < 4)
            {
                throw new EapException("EAP-TLS request too short for its TLS Message Length");
            }

            data = data[4..];
        }

        try
        {
            if ((flags & FlagStart) != 0)
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

            if (data.IsEmpty && _outgoingSent < _outgoing.Length)
            {
                // The server acknowledged our fragment: send the next one.
                return NextFragment(identifier);
            }

            _incoming.Write(data);
            if ((flags & FlagMore) != 0)
            {
                return Ack(identifier);
            }

            var records = _incoming.ToArray();
            _incoming.SetLength(0);
            _protocol.OfferInput(records);
            return SendPending(identifier);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
        {
            var detail = _client.AlertReason is { } reason ? $" ({reason})" : string.Empty;
            throw new EapException($"TLS handshake failed: {e.Message}{detail}", e);
        }
    }

    /// <summary>Sends what TLS produced (first fragment), or an empty acknowledgement when it produced nothing.</summary>
    private byte[] SendPending(byte identifier)
    {
        var available = _protocol.GetAvailableOutputBytes();
        if (available == 0)
        {
            return Ack(identifier);
        }

        _outgoing = new byte[available];
        _protocol.ReadOutput(_outgoing, 0, available);
        _outgoingSent = 0;
        return NextFragment(identifier);
    }

    private byte[] NextFragment(byte identifier)
    {
        var first = _outgoingSent == 0;
        var length = Math.Min(FragmentSize, _outgoing.Length - _outgoingSent);
        var more = _outgoingSent + length < _outgoing.Length;
        var withLength = first && more;
        var typeData = new byte[1 + (withLength ? 4 : 0) + length];
        typeData[0] = (byte)((withLength ? FlagLength : 0) | (more ? FlagMore : 0));
        if (withLength)
        {
            BinaryPrimitives.WriteUInt32BigEndian(typeData.AsSpan(1), (uint)_outgoing.Length);
        }

        _outgoing.AsSpan(_outgoingSent, length).CopyTo(typeData.AsSpan(withLength ? 5 : 1));
        _outgoingSent += length;
        return EapPacket.Build(EapCode.Response, identifier, EapMethod.Tls, typeData);
    }

    private static byte[] Ack(byte identifier) => EapPacket.Build(EapCode.Response, identifier, EapMethod.Tls, [0]);
}
