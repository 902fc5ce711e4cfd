namespace Visibility.IkePeer.Session;

/// <summary>A negotiation or traffic failure; the message is the one-line reason printed on standard error.</summary>
internal class PeerException : Exception
{
    public PeerException()
    {
    }

    public PeerException(string message)
        : base(message)
    {
    }

    public PeerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
