using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Visibility.IkePeer.Eap;

/// <summary>What EAP-TLS needs on one side: our certificate and private key, and the CA that must have issued the other
/// side's certificate (RFC 5216 §5.3: mutual authentication by certificates).</summary>
internal sealed class EapTlsCredentials
{
    public EapTlsCredentials(BcX509Certificate certificate, AsymmetricKeyParameter privateKey, BcX509Certificate authority)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Authority = authority;
    }

    public BcX509Certificate Certificate { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    public BcX509Certificate Authority { get; }

    /// <summary>Reads PEM files: a certificate, its private key (PKCS#1, SEC1 or PKCS#8) and the CA certificate.</summary>
    public static EapTlsCredentials Load(string certificatePath, string keyPath, string authorityPath)
    {
        var certificate = ReadPem(certificatePath) as BcX509Certificate ?? throw new FormatException($"{certificatePath}: no certificate");
        var key = ReadPem(keyPath) switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } single => single,
            _ => throw new FormatException($"{keyPath}: no private key"),
        };
        var authority = ReadPem(authorityPath) as BcX509Certificate ?? throw new FormatException($"{authorityPath}: no certificate");
        return new EapTlsCredentials(certificate, key, authority);
    }

    /// <summary>True when <paramref name="certificate"/> carries the CA's signature and is within its validity period.</summary>
    public bool IsIssuedByAuthority(BcX509Certificate certificate)
    {
        try
        {
            certificate.Verify(Authority.GetPublicKey());
            certificate.CheckValidity();
            return true;
        }
        catch (Exception e) when (e is GeneralSecurityException or ArgumentException)
        {
            return false;
        }
    }

    private static object? ReadPem(string path)
    {
        using var reader = new StreamReader(path);
        return new PemReader(reader).ReadObject();
    }
}
