using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Visibility.IkePeer.Eap;

/// <summary>Checks the server's certificate against the CA and offers our certificate when asked (RFC 5216 §5.3).</summary>
internal sealed class EapTlsClientAuthentication : TlsAuthentication
{
    private readonly TlsContext _context;
    private readonly EapTlsCredentials _credentials;

    public EapTlsClientAuthentication(TlsContext context, EapTlsCredentials credentials)
    {
        _context = context;
        _credentials = credentials;
    }

    public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
    {
        var chain = serverCertificate.Certificate;
        if (chain is null || chain.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "the server sent no certificate");
        }

        var leaf = new BcX509Certificate(chain.GetCertificateAt(0).GetEncoded());
        if (!_credentials.IsIssuedByAuthority(leaf))
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, $"server certificate '{leaf.SubjectDN}' is not issued by '{_credentials.Authority.SubjectDN}'");
        }
    }

    public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
    {
        var crypto = (BcTlsCrypto)_context.Crypto;
        var certificate = new Certificate([new BcTlsCertificate(crypto, _credentials.Certificate.GetEncoded())]);
        var signature = _credentials.PrivateKey is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters ? SignatureAlgorithm.rsa : SignatureAlgorithm.ecdsa;
        var algorithm = new SignatureAndHashAlgorithm(HashAlgorithm.sha256, signature);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(_context), crypto, _credentials.PrivateKey, certificate, algorithm);
    }
}
