using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Visibility.IkePeer.Eap;

/// <summary>The TLS 1.2 server inside the responder's EAP-TLS: signs with our certificate, requires a client certificate
/// issued by the CA (RFC 5216 §5.3).</summary>
internal sealed class EapTlsServerTls : DefaultTlsServer
{
    private readonly EapTlsCredentials _credentials;

    public EapTlsServerTls(TlsCrypto crypto, EapTlsCredentials credentials)
        : base(crypto) => _credentials = credentials;

    public bool HandshakeComplete { get; private set; }

    public byte[] Msk { get; private set; } = [];

    public string? ClientSubject { get; private set; }

    public string? AlertReason { get; private set; }

    public override CertificateRequest GetCertificateRequest() => new(
        [ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign],
        [new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa), new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa)],
        null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "EAP-TLS needs a client certificate");
        }

        var leaf = new BcX509Certificate(clientCertificate.GetCertificateAt(0).GetEncoded());
        if (!_credentials.IsIssuedByAuthority(leaf))
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, $"client certificate '{leaf.SubjectDN}' is not issued by '{_credentials.Authority.SubjectDN}'");
        }

        ClientSubject = leaf.SubjectDN.ToString();
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
    {
        base.NotifyAlertRaised(alertLevel, alertDescription, message, cause);
        AlertReason = cause is null ? message : $"{message}: {cause.Message}";
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Msk = EapTlsPeer.DeriveMsk(m_context);
        HandshakeComplete = true;
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.Only();

    protected override TlsCredentialedSigner GetRsaSignerCredentials() => _credentials.PrivateKey is RsaKeyParameters
        ? Signer(SignatureAlgorithm.rsa)
        : throw new TlsFatalAlert(AlertDescription.internal_error);

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => _credentials.PrivateKey is ECPrivateKeyParameters
        ? Signer(SignatureAlgorithm.ecdsa)
        : throw new TlsFatalAlert(AlertDescription.internal_error);

    private BcDefaultTlsCredentialedSigner Signer(short signature)
    {
        var crypto = (BcTlsCrypto)Crypto;
        var certificate = new Certificate([new BcTlsCertificate(crypto, _credentials.Certificate.GetEncoded())]);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, _credentials.PrivateKey, certificate,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, signature));
    }
}
