using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>Joins the decrypted chunks of IKE fragments (RFC 7383 §2.6) into the inner payload chain of the whole
/// message, bounded: at most <see cref="MaxFragments"/> fragments and 64 KiB per message, a fixed number of messages
/// at once (the least recently touched is dropped to make room).</summary>
/// <remarks>A message is identified by its SA, Message ID and I flag (all fragments keep the original header, RFC 7383
/// §2.5). Chunks are kept in arrival order and joined in fragment order on completion. Buffers are allocated once
/// per slot and reused, so steady state allocates nothing.</remarks>
internal sealed class IkeFragmentReassembler
{
    /// <summary>Most fragments per message (RFC 7383 puts no limit; real messages need a handful).</summary>
    public const int MaxFragments = 64;

    public const int MaxMessageLength = 65536;

    private readonly Slot?[] _slots;

    public IkeFragmentReassembler(int slots) => _slots = new Slot?[Math.Max(1, slots)];

    /// <summary>Messages dropped unfinished to make room.</summary>
    public long Evicted { get; private set; }

    public IkeFragmentResult Add(long saSerial, uint messageId, bool fromInitiator, ushort number, ushort total, IkePayloadType first,
        ReadOnlySpan<byte> chunk, long now, Span<byte> output, out int length, out IkePayloadType firstPayload)
    {
        length = 0;
        firstPayload = IkePayloadType.None;
        if (number == 0 || total == 0 || number > total || total > MaxFragments)
        {
            return IkeFragmentResult.Dropped;
        }
        Slot slot = Find(saSerial, messageId, fromInitiator, total, now);
        ulong bit = 1UL << (number - 1);
        if ((slot.Received & bit) != 0)
        {
            return IkeFragmentResult.Duplicate;
        }
        if (slot.Used + chunk.Length > MaxMessageLength)
        {
            slot.Active = false;
            return IkeFragmentResult.Dropped;
        }
        chunk.CopyTo(slot.Buffer.AsSpan(slot.Used));
        slot.Offsets[number - 1] = slot.Used;
        slot.Lengths[number - 1] = chunk.Length;
        slot.Used += chunk.Length;
        slot.Received |= bit;
        slot.LastNanoseconds = now;
        if (number == 1)
        {
            slot.First = first;
        }
        ulong all = total == 64 ? ulong.MaxValue : (1UL << total) - 1;
        if (slot.Received != all)
        {
            return IkeFragmentResult.Pending;
        }
        int written = 0;
        for (int i = 0; i < total; i++)
        {
            slot.Buffer.AsSpan(slot.Offsets[i], slot.Lengths[i]).CopyTo(output[written..]);
            written += slot.Lengths[i];
        }
        length = written;
        firstPayload = slot.First;
        slot.Active = false;
        return IkeFragmentResult.Complete;
    }

    public void Clear()
    {
        foreach (Slot? slot in _slots)
        {
            if (slot is not null)
            {
                slot.Active = false;
            }
        }
        Evicted = 0;
    }

    private Slot Find(long saSerial, uint messageId, bool fromInitiator, ushort total, long now)
    {
        int free = -1;
        int oldest = 0;
        long oldestTime = long.MaxValue;
        for (int i = 0; i < _slots.Length; i++)
        {
            Slot? s = _slots[i];
            if (s is null || !s.Active)
            {
                free = free < 0 ? i : free;
                continue;
            }
            if (s.SaSerial == saSerial && s.MessageId == messageId && s.FromInitiator == fromInitiator && s.Total == total)
            {
                return s;
            }
            if (s.LastNanoseconds < oldestTime)
            {
                oldestTime = s.LastNanoseconds;
                oldest = i;
            }
        }
        int index = free >= 0 ? free : oldest;
        if (free < 0)
        {
            Evicted++;
        }
        Slot slot = _slots[index] ??= new Slot();
        slot.Active = true;
        slot.SaSerial = saSerial;
        slot.MessageId = messageId;
        slot.FromInitiator = fromInitiator;
        slot.Total = total;
        slot.Received = 0;
        slot.Used = 0;
        slot.First = IkePayloadType.None;
        slot.LastNanoseconds = now;
        return slot;
    }

    private sealed class Slot
    {
        public readonly byte[] Buffer = new byte[MaxMessageLength];
        public readonly int[] Offsets = new int[MaxFragments];
        public readonly int[] Lengths = new int[MaxFragments];
        public bool Active;
        public long SaSerial;
        public uint MessageId;
        public bool FromInitiator;
        public ushort Total;
        public ulong Received;
        public int Used;
        public IkePayloadType First;
        public long LastNanoseconds;
    }
}
