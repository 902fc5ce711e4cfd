using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>IDi (35) / IDr (36): ID Type, 3 reserved octets, identification data [RFC 7296 §3.5].</summary>
/// <remarks>The whole body is IDx' of the AUTH computation (§2.15).</remarks>
internal sealed class IdentificationPayload : Payload
{
    public IdentificationPayload(bool initiator, PeerIdentity identity)
    {
        IsInitiator = initiator;
        Identity = identity;
    }

    public override IkePayloadType PayloadType => IsInitiator ? IkePayloadType.IdentificationInitiator : IkePayloadType.IdentificationResponder;

    public bool IsInitiator { get; }

    public PeerIdentity Identity { get; }

    public static IdentificationPayload? From(bool initiator, ReadOnlySpan<byte> body) =>
        IkeIdentificationPayload.TryRead(body, out var view) ? new IdentificationPayload(initiator, new PeerIdentity(view.IdType, view.Data.ToArray())) : null;

    public override void WriteBody(List<byte> output)
    {
        output.Add((byte)Identity.IdType);
        output.Add(0);
        output.Add(0);
        output.Add(0);
        output.AddRange(Identity.Data);
    }
}
