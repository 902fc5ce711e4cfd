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
}
