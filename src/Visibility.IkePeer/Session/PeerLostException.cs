namespace Visibility.IkePeer.Session;

/// <summary>The other side lost the IKE SA (it crashed or restarted): it answered a protected request with
/// INVALID_IKE_SPI and the QCD token we hold for the SA (RFC 6290 §4.5).</summary>
internal sealed class PeerLostException : PeerException
{
    public PeerLostException()
    {
    }

    public PeerLostException(string message)
        : base(message)
    {
    }

    public PeerLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
