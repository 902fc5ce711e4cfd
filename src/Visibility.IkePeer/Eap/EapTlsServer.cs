using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Eap;

/// <summary>The EAP server of a responder doing EAP-only IKE_AUTH: Identity, then EAP-TLS (RFC 5216) over BouncyCastle's
/// TLS server in non-blocking mode; EAP-Success after the handshake, and the MSK.</summary>
/// <remarks>
/// Each request carries a new Identifier and the peer's response must echo it (RFC 3748 §4.1). The server sends
/// EAP-TLS Start after the identity, its records in fragments acknowledged by empty responses, and EAP-Success once the
/// handshake completed and the peer acknowledged the server's Finished (RFC 5216 §2.1.1).
/// </remarks>
internal sealed class EapTlsServer
{
    private readonly EapTlsServerTls _server;
    private readonly TlsServerProtocol _protocol = new();
    private readonly EapTlsFragments _fragments = new();
    private byte _identifier;
    private bool _started;

    public EapTlsServer(EapTlsCredentials credentials)
    {
        _server = new EapTlsServerTls(new BcTlsCrypto(new SecureRandom()), credentials);
        _identifier = (byte)Random.Shared.Next(256);
    }

    public string? PeerIdentity { get; private set; }

    public bool Succeeded { get; private set; }

    public byte[] Msk { get; private set; } = [];

    /// <summary>The first request: EAP-Request/Identity.</summary>
    public byte[] Start() => EapPacket.Build(EapCode.Request, _identifier, EapMethod.Identity, []);

    /// <summary>Answers the peer's response with the next request, or with EAP-Success at the end. Throws
    /// <see cref="EapException"/> when the conversation fails (the caller then sends <see cref="Failure"/>).</summary>
    public byte[] Respond(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 5 || BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length || (EapCode)packet[0] != EapCode.Response)
        {
            throw new EapException("malformed EAP response");
        }

        if (packet[1] != _identifier)
        {
            throw new EapException($"EAP response identifier {packet[1]} does not answer request {_identifier}");
        }

        var typeData = packet[5..];
        switch ((EapMethod)packet[4])
        {
            case EapMethod.Identity when !_started:
                PeerIdentity = Encoding.UTF8.GetString(typeData);
                _started = true;
                try
                {
                    _protocol.Accept(_server);
                }
                catch (IOException e)
                {
                    throw new EapException($"TLS server: {e.Message}", e);
                }

                return Request([EapTlsFragments.FlagStart]);
            case EapMethod.Tls when _started:
                return OnTls(typeData);
            case EapMethod.Nak:
                throw new EapException("the peer refused EAP-TLS");
            default:
                throw new EapException($"unexpected EAP type {packet[4]}");
        }
    }

    /// <summary>EAP-Failure for the last request's identifier.</summary>
    public byte[] Failure() => EapPacket.Build(EapCode.Failure, _identifier, EapMethod.None, []);

    private byte[] OnTls(ReadOnlySpan<byte> typeData)
    {
        try
        {
            if (!_fragments.Receive(typeData, out _, out var records))
            {
                return Request(EapTlsFragments.Empty);
            }

            if (records.Length == 0 && _fragments.HasMoreToSend)
            {
                return Request(_fragments.NextFragment());
            }

            if (records.Length > 0)
            {
                _protocol.OfferInput(records);
            }

            var available = _protocol.GetAvailableOutputBytes();
            if (available > 0)
            {
                var output = new byte[available];
                _protocol.ReadOutput(output, 0, available);
                _fragments.Queue(output);
                return Request(_fragments.NextFragment());
            }

            if (_server.HandshakeComplete && records.Length == 0)
            {
                Msk = _server.Msk;
                Succeeded = true;
                return EapPacket.Build(EapCode.Success, ++_identifier, EapMethod.None, []);
            }

            throw new EapException("the TLS handshake stalled");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
        {
            var detail = _server.AlertReason is { } reason ? $" ({reason})" : string.Empty;
            throw new EapException($"TLS handshake failed: {e.Message}{detail}", e);
        }
    }

    private byte[] Request(byte[] typeData) => EapPacket.Build(EapCode.Request, ++_identifier, EapMethod.Tls, typeData);
}
