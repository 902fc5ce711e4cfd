using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>Counters of the IKE tracker (read by the summary, the stats record and metrics). Plain fields, bumped on
/// the processing thread.</summary>
public sealed class IkeCounters
{
    private readonly long[] _exchanges = new long[256];
    private readonly long[] _events = new long[32];
    private readonly long[] _states = new long[16];

    /// <summary>IKE datagrams handed to the tracker (UDP 500, or 4500 after the non-ESP marker).</summary>
    public long Messages;

    /// <summary>IKEv1 messages: recognised and counted, not parsed.</summary>
    public long IkeV1;

    /// <summary>Messages of another major version, and datagrams too short for an IKE header.</summary>
    public long Unsupported;

    public long Decrypted;
    public long DecryptFailed;
    public long Fragments;
    public long Reassembled;
    public long Retransmissions;
    public long SasCreated;
    public long SasEnded;

    /// <summary>IKEv2 messages per exchange type.</summary>
    public long ExchangeCount(IkeExchangeType exchange) => _exchanges[(byte)exchange];

    /// <summary>Messages that showed one event (a single flag of <see cref="IkeEvents"/>).</summary>
    public long EventCount(IkeEvents single) => _events[System.Numerics.BitOperations.TrailingZeroCount((uint)single) & 31];

    /// <summary>SAs tracked now, per state.</summary>
    public long SasInState(IkeSaState state) => _states[(int)state & 15];

    internal void CountExchange(IkeExchangeType exchange) => _exchanges[(byte)exchange]++;

    internal void CountEvents(IkeEvents events)
    {
        uint bits = (uint)events;
        while (bits != 0)
        {
            int bit = System.Numerics.BitOperations.TrailingZeroCount(bits);
            _events[bit]++;
            bits &= bits - 1;
        }
    }

    internal void MoveState(IkeSaState from, IkeSaState to)
    {
        _states[(int)from & 15]--;
        _states[(int)to & 15]++;
    }

    internal void AddState(IkeSaState state) => _states[(int)state & 15]++;

    internal void RemoveState(IkeSaState state) => _states[(int)state & 15]--;

    public void Reset()
    {
        Messages = IkeV1 = Unsupported = Decrypted = DecryptFailed = Fragments = Reassembled = Retransmissions = 0;
        SasCreated = SasEnded = 0;
        Array.Clear(_exchanges);
        Array.Clear(_events);
        Array.Clear(_states);
    }
}
