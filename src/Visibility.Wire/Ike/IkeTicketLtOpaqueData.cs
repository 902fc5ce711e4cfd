using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of TICKET_LT_OPAQUE (16409): lifetime, then the ticket.</summary>
/// <remarks>
/// RFC 5723 §7.1 (offsets in the notification data):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           Lifetime                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                        Ticket (opaque)                        ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Lifetime: seconds until the ticket expires (relative). TICKET_REQUEST, TICKET_ACK and TICKET_NACK carry no data.
/// </remarks>
public readonly ref struct IkeTicketLtOpaqueData
{
    private IkeTicketLtOpaqueData(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>False when there is no lifetime, or no ticket after it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeTicketLtOpaqueData ticket)
    {
        if (data.Length <= 4)
        {
            ticket = default;
            return false;
        }
        ticket = new IkeTicketLtOpaqueData(data);
        return true;
    }

    public uint Lifetime => BinaryPrimitives.ReadUInt32BigEndian(Data);

    public ReadOnlySpan<byte> Ticket => Data[4..];
}
