using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>A payload the peer does not interpret (Vendor ID, CERTREQ, CP, ...), kept as raw body.</summary>
internal sealed class UnknownPayload : Payload
{
    public UnknownPayload(IkePayloadType payloadType, bool critical, byte[] body)
    {
        PayloadType = payloadType;
        IsCritical = critical;
        Body = body;
    }

    public override IkePayloadType PayloadType { get; }

    public bool IsCritical { get; }

    public byte[] Body { get; }

    public override void WriteBody(List<byte> output) => output.AddRange(Body);
}
