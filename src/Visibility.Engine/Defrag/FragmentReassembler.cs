using System.Buffers.Binary;
using Visibility.Wire;

namespace Visibility.Engine.Defrag;

/// <summary>Reassembles IPv4 (RFC 791) and IPv6 (RFC 8200 §4.5) fragments, bounded in memory and in (packet) time.</summary>
/// <remarks>Large ESP packets are fragmented on real networks and the ESP trailer sits in the last fragment, so
/// the classifier needs whole datagrams. At most <see cref="MaxDatagrams"/> datagrams are held (about 66 KiB
/// each); when full, the oldest is dropped and counted. A datagram not completed within the timeout is dropped
/// and counted. Overlapping fragments are accepted (the later bytes win) and flagged.</remarks>
public sealed class FragmentReassembler
{
    internal const int MaxHeaderLength = 512;
    private const int IPv4HeaderMinimum = 20;

    private readonly Dictionary<FragmentKey, PartialDatagram> _active;
    private readonly Queue<PartialDatagram> _byAge;
    private readonly Stack<PartialDatagram> _pool = new();
    private readonly byte[] _output = new byte[MaxHeaderLength + 65536];
    private readonly long _timeoutNanoseconds;

    public FragmentReassembler(int maxDatagrams = 1024, long timeoutNanoseconds = 30_000_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagrams, 1);
        MaxDatagrams = maxDatagrams;
        _timeoutNanoseconds = timeoutNanoseconds;
        _active = new Dictionary<FragmentKey, PartialDatagram>(Math.Min(maxDatagrams, 1024));
        _byAge = new Queue<PartialDatagram>(Math.Min(maxDatagrams, 1024));
    }

    public int MaxDatagrams { get; }

    /// <summary>Datagrams currently held.</summary>
    public int Pending => _active.Count;

    /// <summary>Fragments received.</summary>
    public long Fragments { get; private set; }

    /// <summary>Datagrams completed.</summary>
    public long Reassembled { get; private set; }

    /// <summary>Datagrams given up because they were not completed in time.</summary>
    public long TimedOut { get; private set; }

    /// <summary>Datagrams dropped because the table was full.</summary>
    public long Evicted { get; private set; }

    /// <summary>Fragments that could not be used (cut by the snap length, beyond 65535 octets, header too long).</summary>
    public long DroppedFragments { get; private set; }

    /// <summary>Adds one fragment (a frame for which the decoder set <see cref="PacketMeta.IsFragment"/>).</summary>
    /// <param name="frame">The frame the decoder saw; <paramref name="meta"/> holds its offsets.</param>
    /// <param name="meta">The decoder's result for the frame.</param>
    /// <param name="now">Packet time in nanoseconds.</param>
    /// <param name="datagram">On <see cref="FragmentResult.Complete"/>, the whole datagram starting with its IP header,
    /// valid until the next call.</param>
    /// <param name="anomaly">An anomaly to report for this fragment, or <see cref="DecodeAnomaly.None"/>.</param>
    public FragmentResult Add(ReadOnlySpan<byte> frame, in PacketMeta meta, long now, out ReadOnlySpan<byte> datagram, out DecodeAnomaly anomaly)
    {
        datagram = default;
        anomaly = DecodeAnomaly.None;
        Fragments++;
        ExpireOlderThan(now);

        bool v6 = meta.IPVersion == 6;
        if (!meta.NetworkComplete)
        {
            DroppedFragments++;
            return FragmentResult.Dropped;
        }
        int payloadStart = meta.FragmentPayloadOffset;
        int payloadEnd = meta.NetworkEnd;
        int headerEnd = v6 ? payloadStart - 8 : payloadStart;
        int headerLength = headerEnd - meta.NetworkOffset;
        int length = payloadEnd - payloadStart;
        int offset = meta.FragmentOffset;
        if (headerLength < (v6 ? 40 : IPv4HeaderMinimum) || headerLength > MaxHeaderLength || length < 0 || (uint)payloadEnd > (uint)frame.Length)
        {
            DroppedFragments++;
            return FragmentResult.Dropped;
        }
        if (offset + length > 65535 - (v6 ? 0 : headerLength))
        {
            DroppedFragments++;
            anomaly = v6 ? DecodeAnomaly.IPv6FragmentTooLarge : DecodeAnomaly.IPv4FragmentTooLarge;
            return FragmentResult.Dropped;
        }
        // Every fragment but the last carries a multiple of 8 octets (RFC 791, RFC 8200 §4.5).
        if (meta.MoreFragments && (length & 7) != 0)
        {
            DroppedFragments++;
            anomaly = v6 ? DecodeAnomaly.IPv6Truncated : DecodeAnomaly.IPv4Truncated;
            return FragmentResult.Dropped;
        }

        var key = new FragmentKey(meta.Source, meta.Destination, meta.FragmentId, v6 ? 0 : meta.Protocol);
        if (!_active.TryGetValue(key, out PartialDatagram? partial))
        {
            if (_active.Count >= MaxDatagrams)
            {
                DropOldest();
                Evicted++;
                anomaly = DecodeAnomaly.FragmentTableFull;
            }
            partial = _pool.Count > 0 ? _pool.Pop() : new PartialDatagram();
            partial.Reset();
            partial.Key = key;
            partial.IPVersion = meta.IPVersion;
            partial.FirstSeenNanoseconds = now;
            _active.Add(key, partial);
            _byAge.Enqueue(partial);
        }

        if (offset == 0)
        {
            frame.Slice(meta.NetworkOffset, headerLength).CopyTo(partial.Header);
            partial.HeaderLength = headerLength;
            partial.PayloadProtocol = v6 ? meta.FragmentNextHeader : meta.Protocol;
            partial.NextHeaderFieldOffset = v6 ? FindFragmentPointer(frame.Slice(meta.NetworkOffset, headerLength)) : 0;
        }
        if (!meta.MoreFragments)
        {
            partial.TotalPayloadLength = offset + length;
        }
        frame[payloadStart..payloadEnd].CopyTo(partial.Payload.AsSpan(offset));
        if (length > 0 && partial.MarkBlocks(offset / 8, (offset + length - 1) / 8))
        {
            partial.Overlapped = true;
            if (anomaly == DecodeAnomaly.None)
            {
                anomaly = v6 ? DecodeAnomaly.IPv6FragmentOverlap : DecodeAnomaly.IPv4FragmentOverlap;
            }
        }

        if (!partial.IsComplete())
        {
            return FragmentResult.Pending;
        }

        datagram = Assemble(partial);
        _active.Remove(key);
        // The entry stays in the age queue until it reaches the head; Reset marks it finished.
        partial.HeaderLength = 0;
        partial.TotalPayloadLength = -1;
        Reassembled++;
        return FragmentResult.Complete;
    }

    /// <summary>Drops every datagram idle past the timeout at packet time <paramref name="now"/>.</summary>
    public void ExpireOlderThan(long now)
    {
        while (_byAge.Count > 0)
        {
            PartialDatagram head = _byAge.Peek();
            bool finished = !_active.TryGetValue(head.Key, out PartialDatagram? live) || !ReferenceEquals(live, head);
            if (!finished && now - head.FirstSeenNanoseconds <= _timeoutNanoseconds)
            {
                return;
            }
            _byAge.Dequeue();
            if (!finished)
            {
                _active.Remove(head.Key);
                TimedOut++;
            }
            _pool.Push(head);
        }
    }

    /// <summary>Forgets all partial datagrams (counters stay).</summary>
    public void Clear()
    {
        while (_byAge.Count > 0)
        {
            _pool.Push(_byAge.Dequeue());
        }
        _active.Clear();
    }

    private void DropOldest()
    {
        while (_byAge.Count > 0)
        {
            PartialDatagram head = _byAge.Dequeue();
            bool live = _active.TryGetValue(head.Key, out PartialDatagram? current) && ReferenceEquals(current, head);
            _pool.Push(head);
            if (live)
            {
                _active.Remove(head.Key);
                return;
            }
        }
    }

    private ReadOnlySpan<byte> Assemble(PartialDatagram partial)
    {
        int h = partial.HeaderLength;
        int total = h + partial.TotalPayloadLength;
        Span<byte> output = _output.AsSpan(0, total);
        partial.Header.AsSpan(0, h).CopyTo(output);
        partial.Payload.AsSpan(0, partial.TotalPayloadLength).CopyTo(output[h..]);
        if (partial.IPVersion == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)total);
            // Clear MF and the offset, keep DF.
            BinaryPrimitives.WriteUInt16BigEndian(output[6..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(output[6..]) & 0x4000));
            output[10] = 0;
            output[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(output[10..], InternetChecksum.Compute(output[..h]));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(output[4..], (ushort)(total - 40));
            output[partial.NextHeaderFieldOffset] = (byte)partial.PayloadProtocol;
        }
        return output;
    }

    /// <summary>In an IPv6 unfragmentable part, finds the Next Header octet whose value names the Fragment header.</summary>
    private static int FindFragmentPointer(ReadOnlySpan<byte> unfragmentable)
    {
        int field = 6;
        int position = 40;
        while (position + 2 <= unfragmentable.Length)
        {
            byte next = unfragmentable[field];
            int length = next == (byte)IPProtocol.Ah ? (unfragmentable[position + 1] + 2) * 4 : (unfragmentable[position + 1] + 1) * 8;
            field = position;
            position += length;
        }
        return field;
    }
}
