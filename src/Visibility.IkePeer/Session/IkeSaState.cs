namespace Visibility.IkePeer.Session;

/// <summary>Life cycle of an IKE SA as the peer tracks it.</summary>
internal enum IkeSaState
{
    /// <summary>IKE_SA_INIT sent or answered; IKE_AUTH not finished.</summary>
    Connecting = 0,
    Established = 1,
    Deleting = 2,
    Deleted = 3,
    Failed = 4,

    /// <summary>Replaced by a new IKE SA (CREATE_CHILD_SA rekey); it waits for its Delete.</summary>
    Rekeyed = 5,

    /// <summary>The other side lost it: INVALID_IKE_SPI with our QCD token (RFC 6290); deleted silently.</summary>
    Lost = 6,
}
