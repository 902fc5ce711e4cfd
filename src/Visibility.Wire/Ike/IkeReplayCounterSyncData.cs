using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of IPSEC_REPLAY_COUNTER_SYNC (16423): the counter delta.</summary>
/// <remarks>RFC 6311 §6.4: the amount by which the peer should raise the outgoing counters of all Child SAs of the
/// IKE SA; 4 octets, or 8 when the Child SAs use extended sequence numbers.</remarks>
public readonly ref struct IkeReplayCounterSyncData
{
    private IkeReplayCounterSyncData(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>False unless the data is 4 or 8 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeReplayCounterSyncData sync)
    {
        if (data.Length is not (4 or 8))
        {
            sync = default;
            return false;
        }
        sync = new IkeReplayCounterSyncData(data);
        return true;
    }

    /// <summary>True for the 8-octet (ESN) form.</summary>
    public bool IsExtended => Data.Length == 8;

    public ulong IncomingSaDelta => IsExtended ? BinaryPrimitives.ReadUInt64BigEndian(Data) : BinaryPrimitives.ReadUInt32BigEndian(Data);
}
