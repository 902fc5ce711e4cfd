using System.Buffers.Binary;

namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>Builds IKEv2 messages for tests: a header and a chain of (type, body) payloads whose Next Payload and
/// lengths are filled in. Spec examples in the tests are written as literal bytes; this builder serves the cases
/// that vary one field at a time.</summary>
internal sealed class IkeMessageBuilder
{
    private readonly List<(byte Type, byte[] Body, bool Critical)> _payloads = [];

    public ulong InitiatorSpi { get; set; } = 0x0102030405060708;

    public ulong ResponderSpi { get; set; }

    public byte Version { get; set; } = 0x20;

    public byte ExchangeType { get; set; } = 34;

    public byte Flags { get; set; } = 0x08;

    public uint MessageId { get; set; }

    /// <summary>Overrides the Length field (default: the real length).</summary>
    public uint? LengthOverride { get; set; }

    public IkeMessageBuilder Add(byte type, byte[] body, bool critical = false)
    {
        _payloads.Add((type, body, critical));
        return this;
    }

    public IkeMessageBuilder Add(Visibility.Wire.Ike.IkePayloadType type, byte[] body) => Add((byte)type, body);

    public IkeMessageBuilder Notify(ushort type, byte[]? data = null, byte protocol = 0, byte[]? spi = null)
    {
        spi ??= [];
        data ??= [];
        byte[] body = new byte[4 + spi.Length + data.Length];
        body[0] = protocol;
        body[1] = (byte)spi.Length;
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), type);
        spi.CopyTo(body, 4);
        data.CopyTo(body, 4 + spi.Length);
        return Add(41, body);
    }

    public static byte[] Chain(IReadOnlyList<(byte Type, byte[] Body)> payloads)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < payloads.Count; i++)
        {
            byte next = i + 1 < payloads.Count ? payloads[i + 1].Type : (byte)0;
            int length = 4 + payloads[i].Body.Length;
            bytes.Add(next);
            bytes.Add(0);
            bytes.Add((byte)(length >> 8));
            bytes.Add((byte)length);
            bytes.AddRange(payloads[i].Body);
        }
        return [.. bytes];
    }

    public byte[] Build()
    {
        var bytes = new List<byte>(new byte[28]);
        for (int i = 0; i < _payloads.Count; i++)
        {
            byte next = i + 1 < _payloads.Count ? _payloads[i + 1].Type : (byte)0;
            int length = 4 + _payloads[i].Body.Length;
            bytes.Add(next);
            bytes.Add(_payloads[i].Critical ? (byte)0x80 : (byte)0);
            bytes.Add((byte)(length >> 8));
            bytes.Add((byte)length);
            bytes.AddRange(_payloads[i].Body);
        }
        byte[] message = [.. bytes];
        BinaryPrimitives.WriteUInt64BigEndian(message, InitiatorSpi);
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(8), ResponderSpi);
        message[16] = _payloads.Count > 0 ? _payloads[0].Type : (byte)0;
        message[17] = Version;
        message[18] = ExchangeType;
        message[19] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(20), MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(24), LengthOverride ?? (uint)message.Length);
        return message;
    }
}
