using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>Notify payload (41): Protocol ID, SPI Size, Notify Message Type (2), SPI, data [RFC 7296 §3.10].</summary>
internal sealed class NotifyPayload : Payload
{
    public NotifyPayload(IkeNotifyType notifyType, byte[]? data = null, ProtocolId protocolId = ProtocolId.None, byte[]? spi = null)
    {
        NotifyType = notifyType;
        Data = data ?? [];
        ProtocolId = protocolId;
        Spi = spi ?? [];
    }

    public override IkePayloadType PayloadType => IkePayloadType.Notify;

    public ProtocolId ProtocolId { get; }

    public byte[] Spi { get; }

    public IkeNotifyType NotifyType { get; }

    public byte[] Data { get; }

    public bool IsError => (ushort)NotifyType < IkeNotifyPayload.FirstStatusType;

    public static NotifyPayload? From(ReadOnlySpan<byte> body) =>
        IkeNotifyPayload.TryRead(body, out var view) ? new NotifyPayload(view.NotifyType, view.Data.ToArray(), view.ProtocolId, view.Spi.ToArray()) : null;

    public override void WriteBody(List<byte> output)
    {
        output.Add((byte)ProtocolId);
        output.Add((byte)Spi.Length);
        output.Add((byte)((ushort)NotifyType >> 8));
        output.Add((byte)NotifyType);
        output.AddRange(Spi);
        output.AddRange(Data);
    }
}
