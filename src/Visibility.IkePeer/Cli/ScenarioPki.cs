using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Visibility.IkePeer.Cli;

/// <summary>A throwaway CA with end-entity certificates for EAP-TLS runs: RSA-2048/SHA-256, subjectAltName DNS = the
/// name, server and client EKUs, written as PEM: <c>ca.pem</c>, <c>NAME.pem</c>, <c>NAME.key</c> (PKCS#1).</summary>
internal static class ScenarioPki
{
    public static void Write(string directory, params string[] names)
    {
        Directory.CreateDirectory(directory);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Visibility Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddDays(30));
        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());

        byte serial = 2;
        foreach (var name in names)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            using var certificate = request.Create(ca, notBefore, notBefore.AddDays(30), [serial++, 1, 2, 3]);
            File.WriteAllText(Path.Combine(directory, name + ".pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(directory, name + ".key"), key.ExportRSAPrivateKeyPem());
        }
    }
}
