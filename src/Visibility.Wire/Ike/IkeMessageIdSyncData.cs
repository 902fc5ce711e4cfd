using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of IKEV2_MESSAGE_ID_SYNC (16422).</summary>
/// <remarks>
/// RFC 6311 §6.3 (offsets in the notification data):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          Nonce Data                           |  0
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  EXPECTED_SEND_REQ_MESSAGE_ID                 |  4
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  EXPECTED_RECV_REQ_MESSAGE_ID                 |  8
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Carried in an INFORMATIONAL with Message ID 0; the nonce is echoed in the response.
/// </remarks>
public readonly ref struct IkeMessageIdSyncData
{
    public const int Length = 12;

    private IkeMessageIdSyncData(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>False unless the data is exactly 12 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeMessageIdSyncData sync)
    {
        if (data.Length != Length)
        {
            sync = default;
            return false;
        }
        sync = new IkeMessageIdSyncData(data);
        return true;
    }

    public uint Nonce => BinaryPrimitives.ReadUInt32BigEndian(Data);

    public uint ExpectedSendRequestMessageId => BinaryPrimitives.ReadUInt32BigEndian(Data[4..]);

    public uint ExpectedReceiveRequestMessageId => BinaryPrimitives.ReadUInt32BigEndian(Data[8..]);
}
