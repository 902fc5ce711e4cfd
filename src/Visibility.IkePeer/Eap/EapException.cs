namespace Visibility.IkePeer.Eap;

/// <summary>EAP ended without success: EAP-Failure, a malformed packet or a failed TLS handshake.</summary>
internal sealed class EapException : Exception
{
    public EapException()
    {
    }

    public EapException(string message)
        : base(message)
    {
    }

    public EapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
