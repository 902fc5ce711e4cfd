using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeCertificatePayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.7")]
    public void TryRead_CertReqX509_EncodingAndAuthorities()
    {
        // 0: Cert Encoding 4 (X.509 Certificate - Signature) | 1: one 20-octet CA key hash
        byte[] body = [0x04, .. Enumerable.Range(1, 20).Select(i => (byte)i)];
        Assert.True(IkeCertificatePayload.TryRead(body, out IkeCertificatePayload cert));
        Assert.Equal(CertificateEncoding.X509Signature, cert.Encoding);
        Assert.Equal(20, cert.Data.Length);
        Assert.False(IkeCertificatePayload.TryRead([], out _));
    }
}
