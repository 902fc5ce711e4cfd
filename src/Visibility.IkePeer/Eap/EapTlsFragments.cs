using System.Buffers.Binary;

namespace Visibility.IkePeer.Eap;

/// <summary>EAP-TLS fragmentation (RFC 5216 §2.1.5, §3.1): TLS records out in fragments, fragments in reassembled.</summary>
/// <remarks>
/// Type-Data: <c>Flags (L M S R R R R R) | [TLS Message Length (4) when L] | TLS data</c>. The first of several fragments
/// carries L and the total length; every fragment but the last carries M; a fragment with M is acknowledged by an
/// EAP-TLS message with no data (flags 0).
/// </remarks>
internal sealed class EapTlsFragments
{
    public const int FragmentSize = 1000;
    public const byte FlagLength = 0x80;
    public const byte FlagMore = 0x40;
    public const byte FlagStart = 0x20;

    private readonly MemoryStream _incoming = new();
    private byte[] _outgoing = [];
    private int _sent;

    /// <summary>Type-Data of an acknowledgement (or an empty message).</summary>
    public static byte[] Empty => [0];

    public bool HasMoreToSend => _sent < _outgoing.Length;

    public void Queue(byte[] records)
    {
        _outgoing = records;
        _sent = 0;
    }

    /// <summary>Type-Data of the next fragment of what <see cref="Queue"/> was given.</summary>
    public byte[] NextFragment()
    {
        var first = _sent == 0;
        var length = Math.Min(FragmentSize, _outgoing.Length - _sent);
        var more = _sent + length < _outgoing.Length;
        var withLength = first && more;
        var typeData = new byte[1 + (withLength ? 4 : 0) + length];
        typeData[0] = (byte)((withLength ? FlagLength : 0) | (more ? FlagMore : 0));
        if (withLength)
        {
            BinaryPrimitives.WriteUInt32BigEndian(typeData.AsSpan(1), (uint)_outgoing.Length);
        }

        _outgoing.AsSpan(_sent, length).CopyTo(typeData.AsSpan(withLength ? 5 : 1));
        _sent += length;
        return typeData;
    }

    /// <summary>Takes one received fragment: its flags, and whether a complete TLS message (possibly empty) is there.</summary>
    public bool Receive(ReadOnlySpan<byte> typeData, out byte flags, out byte[] records)
    {
        records = [];
        if (typeData.IsEmpty)
        {
            throw new EapException("EAP-TLS message without flags");
        }

        flags = typeData[0];
        var data = typeData[1..];
        if ((flags & FlagLength) != 0)
        {
            if (data.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(data) > 1 << 20)
            {
                throw new EapException("bad EAP-TLS Message Length");
            }

            data = data[4..];
        }

        _incoming.Write(data);
        if (_incoming.Length > 1 << 20)
        {
            throw new EapException("EAP-TLS message too long");
        }

        if ((flags & FlagMore) != 0)
        {
            return false;
        }

        records = _incoming.ToArray();
        _incoming.SetLength(0);
        return true;
    }
}
