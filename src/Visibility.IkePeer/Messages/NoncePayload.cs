using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>Nonce payload (40): 16..256 octets of nonce data [RFC 7296 §3.9].</summary>
internal sealed class NoncePayload : IkePayload
{
    public NoncePayload(byte[] data) => Data = data;

    public override byte PayloadType => PeerIana.PayloadNonce;

    public byte[] Data { get; }

    public override void WriteBody(List<byte> output) => output.AddRange(Data);
}
