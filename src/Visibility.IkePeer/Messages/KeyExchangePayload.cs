using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>KE payload (34): DH Group Num (2), reserved (2), key exchange data [RFC 7296 §3.4].</summary>
internal sealed class KeyExchangePayload : IkePayload
{
    public KeyExchangePayload(ushort group, byte[] data)
    {
        Group = group;
        Data = data;
    }

    public override byte PayloadType => PeerIana.PayloadKeyExchange;

    public ushort Group { get; }

    public byte[] Data { get; }

    public static KeyExchangePayload? Parse(ReadOnlySpan<byte> body) =>
        body.Length < 4 ? null : new KeyExchangePayload((ushort)((body[0] << 8) | body[1]), body[4..].ToArray());

    public override void WriteBody(List<byte> output)
    {
        output.Add((byte)(Group >> 8));
        output.Add((byte)Group);
        output.Add(0);
        output.Add(0);
        output.AddRange(Data);
    }
}
