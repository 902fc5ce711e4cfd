namespace Visibility.Engine.Ike;

/// <summary>A fingerprint of a recent message of an SA, for telling retransmissions (RFC 7296 §2.1: same Message ID,
/// flags and octets) from new messages that reuse an ID (IKE_SA_INIT retries, IKE fragments).</summary>
internal struct IkeSeenMessage
{
    public uint MessageId;
    public byte Flags;
    public int Length;
    public ulong Hash;
    public bool Valid;
}
