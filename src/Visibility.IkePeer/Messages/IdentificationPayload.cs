using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>IDi (35) / IDr (36): ID Type, 3 reserved octets, identification data [RFC 7296 §3.5].</summary>
/// <remarks>The whole body is IDx' of the AUTH computation (§2.15).</remarks>
internal sealed class IdentificationPayload : IkePayload
{
    public IdentificationPayload(bool initiator, PeerIdentity identity)
    {
        IsInitiator = initiator;
        Identity = identity;
    }

    public override byte PayloadType => IsInitiator ? PeerIana.PayloadIdentificationInitiator : PeerIana.PayloadIdentificationResponder;

    public bool IsInitiator { get; }

    public PeerIdentity Identity { get; }

    public static IdentificationPayload? Parse(bool initiator, ReadOnlySpan<byte> body) =>
        body.Length < 4 ? null : new IdentificationPayload(initiator, new PeerIdentity(body[0], body[4..].ToArray()));

    public override void WriteBody(List<byte> output)
    {
        output.Add(Identity.IdType);
        output.Add(0);
        output.Add(0);
        output.Add(0);
        output.AddRange(Identity.Data);
    }
}
