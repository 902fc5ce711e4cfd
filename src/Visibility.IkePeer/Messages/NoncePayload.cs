using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>Nonce payload (40): 16..256 octets of nonce data [RFC 7296 §3.9].</summary>
internal sealed class NoncePayload : Payload
{
    public NoncePayload(byte[] data) => Data = data;

    public override IkePayloadType PayloadType => IkePayloadType.Nonce;

    public byte[] Data { get; }

    public static NoncePayload? From(ReadOnlySpan<byte> body) =>
        IkeNoncePayload.TryRead(body, out var view) ? new NoncePayload(view.Data.ToArray()) : null;

    public override void WriteBody(List<byte> output) => output.AddRange(Data);
}
