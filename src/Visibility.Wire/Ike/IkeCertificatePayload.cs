namespace Visibility.Wire.Ike;

/// <summary>View over the body of a CERT or CERTREQ payload (types 37, 38); both start with the encoding octet.</summary>
/// <remarks>
/// RFC 7296 §3.6, §3.7 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Cert Encoding |                                               |
/// +-+-+-+-+-+-+-+-+                                               |
/// ~       Certificate Data / Certification Authority              ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// For CERTREQ with X.509 encodings the data is a list of 20-octet SHA-1 hashes of CA public keys.
/// </remarks>
public readonly ref struct IkeCertificatePayload
{
    private IkeCertificatePayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeCertificatePayload payload)
    {
        if (body.IsEmpty)
        {
            payload = default;
            return false;
        }
        payload = new IkeCertificatePayload(body);
        return true;
    }

    public CertificateEncoding Encoding => (CertificateEncoding)Body[0];

    public ReadOnlySpan<byte> Data => Body[1..];
}
