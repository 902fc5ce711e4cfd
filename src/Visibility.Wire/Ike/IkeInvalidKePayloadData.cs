using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of INVALID_KE_PAYLOAD (17): the group the responder accepts.</summary>
/// <remarks>RFC 7296 §1.2, §3.10.1: two octets, the accepted D-H group number.</remarks>
public readonly ref struct IkeInvalidKePayloadData
{
    private IkeInvalidKePayloadData(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>False unless the data is exactly 2 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeInvalidKePayloadData invalidKe)
    {
        if (data.Length != 2)
        {
            invalidKe = default;
            return false;
        }
        invalidKe = new IkeInvalidKePayloadData(data);
        return true;
    }

    public DhGroup AcceptedGroup => (DhGroup)BinaryPrimitives.ReadUInt16BigEndian(Data);
}
