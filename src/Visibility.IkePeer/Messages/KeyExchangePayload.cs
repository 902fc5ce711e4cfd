using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>KE payload (34): DH Group Num (2), reserved (2), key exchange data [RFC 7296 §3.4].</summary>
internal sealed class KeyExchangePayload : Payload
{
    public KeyExchangePayload(DhGroup group, byte[] data)
    {
        Group = group;
        Data = data;
    }

    public override IkePayloadType PayloadType => IkePayloadType.KeyExchange;

    public DhGroup Group { get; }

    public byte[] Data { get; }

    public static KeyExchangePayload? From(ReadOnlySpan<byte> body) =>
        IkeKeyExchangePayload.TryRead(body, out var view) ? new KeyExchangePayload(view.DhGroup, view.KeyExchangeData.ToArray()) : null;

    public override void WriteBody(List<byte> output)
    {
        output.Add((byte)((ushort)Group >> 8));
        output.Add((byte)Group);
        output.Add(0);
        output.Add(0);
        output.AddRange(Data);
    }
}
