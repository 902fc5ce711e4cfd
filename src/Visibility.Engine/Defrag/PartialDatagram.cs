using Visibility.Wire;

namespace Visibility.Engine.Defrag;

/// <summary>One datagram under reassembly: its unfragmentable header, the payload received so far and which
/// 8-octet blocks are present.</summary>
internal sealed class PartialDatagram
{
    // Fragment offsets count 8-octet blocks (RFC 791, RFC 8200), so coverage is kept per block: 8192 blocks.
    private const int Blocks = 65536 / 8;

    public readonly byte[] Header = new byte[FragmentReassembler.MaxHeaderLength];
    public readonly byte[] Payload = new byte[65536];
    public readonly ulong[] Coverage = new ulong[Blocks / 64];

    public FragmentKey Key;
    public int HeaderLength;
    public byte IPVersion;

    /// <summary>Offset in <see cref="Header"/> of the Next Header octet that points at the Fragment header (IPv6).</summary>
    public int NextHeaderFieldOffset;
    public IPProtocol PayloadProtocol;
    public int TotalPayloadLength = -1;
    public long FirstSeenNanoseconds;
    public bool Overlapped;

    public void Reset()
    {
        HeaderLength = 0;
        TotalPayloadLength = -1;
        Overlapped = false;
        Array.Clear(Coverage);
    }

    /// <summary>Marks blocks [first, last] present; returns true if any was present already (an overlap).</summary>
    public bool MarkBlocks(int first, int last)
    {
        bool overlap = false;
        for (int b = first; b <= last; b++)
        {
            ulong bit = 1UL << (b & 63);
            ref ulong word = ref Coverage[b >> 6];
            overlap |= (word & bit) != 0;
            word |= bit;
        }
        return overlap;
    }

    public bool IsComplete()
    {
        if (TotalPayloadLength < 0 || HeaderLength == 0)
        {
            return false;
        }
        int lastBlock = (TotalPayloadLength + 7) / 8 - 1;
        for (int b = 0; b <= lastBlock; b++)
        {
            if ((Coverage[b >> 6] & (1UL << (b & 63))) == 0)
            {
                return false;
            }
        }
        return true;
    }
}
