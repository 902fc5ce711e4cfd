using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the 28-octet IKE header at the start of an IKE message (IKEv1 or IKEv2).</summary>
/// <remarks>
/// RFC 7296 §3.1 (IKEv2; the IKEv1 header of RFC 2408 §3.1 has the same layout, so IKEv1 is recognised by its
/// major version and not parsed further):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       IKE SA Initiator's SPI                  |  0
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       IKE SA Responder's SPI                  |  8
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     | 16
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          Message ID                           | 20
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            Length                             | 24
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The span handed to <see cref="TryRead"/> is the UDP payload after the non-ESP marker on port 4500
/// (the marker is not part of the message, RFC 7296 §3.1). <see cref="Length"/> is the declared message
/// length; <see cref="Message"/> is the declared message clamped to the bytes available.
/// </remarks>
public readonly ref struct IkeHeader
{
    /// <summary>Octets in the IKE header.</summary>
    public const int Size = 28;

    private readonly ReadOnlySpan<byte> _datagram;

    private IkeHeader(ReadOnlySpan<byte> datagram) => _datagram = datagram;

    /// <summary>Reads the header; false when fewer than 28 octets are available.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out IkeHeader header)
    {
        if (datagram.Length < Size)
        {
            header = default;
            return false;
        }
        header = new IkeHeader(datagram);
        return true;
    }

    public ulong InitiatorSpi => BinaryPrimitives.ReadUInt64BigEndian(_datagram);

    public ulong ResponderSpi => BinaryPrimitives.ReadUInt64BigEndian(_datagram[8..]);

    public ReadOnlySpan<byte> InitiatorSpiBytes => _datagram[..8];

    public ReadOnlySpan<byte> ResponderSpiBytes => _datagram.Slice(8, 8);

    /// <summary>Type of the first payload.</summary>
    public IkePayloadType NextPayload => (IkePayloadType)_datagram[16];

    /// <summary>The version octet: major version in the high nibble, minor in the low (IKEv2 sends 0x20).</summary>
    public byte Version => _datagram[17];

    public int MajorVersion => _datagram[17] >> 4;

    public int MinorVersion => _datagram[17] & 0x0F;

    /// <summary>Major version 1: an IKEv1/ISAKMP message (RFC 2408), recognised but not parsed here.</summary>
    public bool IsIkeV1 => MajorVersion == 1;

    /// <summary>Major version 2: an IKEv2 message. Minor versions are ignored on receipt (RFC 7296 §3.1).</summary>
    public bool IsIkeV2 => MajorVersion == 2;

    public IkeExchangeType ExchangeType => (IkeExchangeType)_datagram[18];

    public IkeFlags Flags => (IkeFlags)_datagram[19];

    /// <summary>I flag: sent by the original initiator of the IKE SA (selects SK_ei/SK_ai for this message).</summary>
    public bool IsInitiator => (_datagram[19] & (byte)IkeFlags.Initiator) != 0;

    /// <summary>R flag: this message is a response.</summary>
    public bool IsResponse => (_datagram[19] & (byte)IkeFlags.Response) != 0;

    /// <summary>V flag: the sender can speak a higher major version.</summary>
    public bool HigherVersion => (_datagram[19] & (byte)IkeFlags.Version) != 0;

    public uint MessageId => BinaryPrimitives.ReadUInt32BigEndian(_datagram[20..]);

    /// <summary>The declared length of the whole message (header and payloads) in octets.</summary>
    public uint Length => BinaryPrimitives.ReadUInt32BigEndian(_datagram[24..]);

    /// <summary>Octets available from the first header octet to the end of the datagram.</summary>
    public int DatagramLength => _datagram.Length;

    /// <summary>True when <see cref="Length"/> is at least 28 and equals the datagram length.</summary>
    public bool IsLengthValid => Length >= Size && Length == (uint)_datagram.Length;

    /// <summary>True when <see cref="Length"/> claims more octets than the datagram holds.</summary>
    public bool IsTruncated => Length > (uint)_datagram.Length;

    /// <summary>The message as declared, clamped to the datagram (at least the 28 header octets).</summary>
    public ReadOnlySpan<byte> Message
    {
        get
        {
            uint length = Length;
            if (length < Size)
            {
                return _datagram[..Size];
            }
            return length < (uint)_datagram.Length ? _datagram[..(int)length] : _datagram;
        }
    }

    /// <summary>The payload chain: <see cref="Message"/> after the header.</summary>
    public ReadOnlySpan<byte> Payloads => Message[Size..];
}
