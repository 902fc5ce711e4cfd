using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Visibility.IkePeer.Eap;

/// <summary>The TLS 1.2 client inside EAP-TLS (RFC 5216): client certificate, server certificate checked against the CA.</summary>
/// <remarks>TLS 1.2 only: its keying material exporter with no context is exactly the RFC 5216 §2.3 MSK derivation
/// (<c>TLS-PRF(master secret, "client EAP encryption", client.random | server.random)</c>); TLS 1.3 (RFC 9190) derives
/// differently and is not offered.</remarks>
internal sealed class EapTlsClient : DefaultTlsClient
{
    private readonly EapTlsCredentials _credentials;

    public EapTlsClient(TlsCrypto crypto, EapTlsCredentials credentials)
        : base(crypto) => _credentials = credentials;

    public bool HandshakeComplete { get; private set; }

    public TlsContext Context => m_context;

    public override TlsAuthentication GetAuthentication() => new EapTlsClientAuthentication(m_context, _credentials);

    /// <summary>Why the last fatal alert was raised, for the error message.</summary>
    public string? AlertReason { get; private set; }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
    {
        base.NotifyAlertRaised(alertLevel, alertDescription, message, cause);
        AlertReason = cause is null ? message : $"{message}: {cause.Message}";
    }

    /// <summary>The MSK, derived the moment the handshake completes (while the master secret is at hand).</summary>
    public byte[] Msk { get; private set; } = [];

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Msk = EapTlsPeer.DeriveMsk(m_context);
        HandshakeComplete = true;
    }

    /// <summary>strongSwan's TLS stack does not send renegotiation_info (RFC 5746); the handshake is accepted anyway,
    /// since an EAP-TLS conversation never renegotiates (BouncyCastle refuses a server's renegotiation request).</summary>
    public override void NotifySecureRenegotiation(bool secureRenegotiation)
    {
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.Only();
}
