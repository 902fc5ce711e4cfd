using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>EAP payload (48): one EAP packet [RFC 7296 §3.16].</summary>
internal sealed class EapPayload : Payload
{
    public EapPayload(byte[] packet) => Packet = packet;

    public override IkePayloadType PayloadType => IkePayloadType.Eap;

    /// <summary>The whole EAP packet: Code, Identifier, Length, Type, Type-Data.</summary>
    public byte[] Packet { get; }

    public static EapPayload? From(ReadOnlySpan<byte> body) =>
        IkeEapPayload.TryRead(body, out var view) && view.IsLengthConsistent ? new EapPayload(view.Body.ToArray()) : null;

    public override void WriteBody(List<byte> output) => output.AddRange(Packet);
}
