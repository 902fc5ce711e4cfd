using System.Buffers.Binary;
using System.Net;

namespace Visibility.Wire;

/// <summary>An IPv4 or IPv6 address as a 16-byte value: equality and hashing without allocation.</summary>
/// <remarks>IPv4 addresses are stored in the low 4 bytes with <see cref="IsIPv4"/> set, so an IPv4 address
/// and its IPv4-mapped IPv6 form stay distinct, as they are distinct on the wire.</remarks>
public readonly struct NetworkAddress : IEquatable<NetworkAddress>, IComparable<NetworkAddress>
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly bool _isIPv4;

    private NetworkAddress(ulong high, ulong low, bool isIPv4)
    {
        _high = high;
        _low = low;
        _isIPv4 = isIPv4;
    }

    public bool IsIPv4 => _isIPv4;

    public bool IsIPv6 => !_isIPv4 && (_high | _low) != 0;

    /// <summary>True for the default value (no address decoded).</summary>
    public bool IsNone => !_isIPv4 && _high == 0 && _low == 0;

    /// <summary>The address as two 64-bit words (first eight bytes, last eight bytes; IPv4 in the low word), for
    /// one-pass hashing of keys that hold addresses.</summary>
    internal ulong High => _high;

    internal ulong Low => _low;

    /// <summary>The IPv4 address as a big-endian number; 0 for IPv6.</summary>
    public uint IPv4Value => _isIPv4 ? (uint)_low : 0;

    public static NetworkAddress FromIPv4(ReadOnlySpan<byte> fourBytes) =>
        new(0, BinaryPrimitives.ReadUInt32BigEndian(fourBytes), true);

    public static NetworkAddress FromIPv4(uint value) => new(0, value, true);

    public static NetworkAddress FromIPv6(ReadOnlySpan<byte> sixteenBytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(sixteenBytes), BinaryPrimitives.ReadUInt64BigEndian(sixteenBytes[8..]), false);

    public static NetworkAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return written == 4 ? FromIPv4(bytes) : FromIPv6(bytes);
    }

    public static NetworkAddress Parse(string text) => FromIPAddress(IPAddress.Parse(text));

    /// <summary>Writes the address in network byte order: 4 bytes for IPv4, 16 for IPv6.</summary>
    public int WriteBytes(Span<byte> destination)
    {
        if (_isIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_low);
            return 4;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
        return 16;
    }

    /// <summary>Adds this address to a ones'-complement sum of 16-bit words (pseudo-header checksums).</summary>
    public uint AddToChecksum(uint sum)
    {
        if (_isIPv4)
        {
            return sum + (uint)(_low >> 16 & 0xFFFF) + (uint)(_low & 0xFFFF);
        }
        for (int shift = 48; shift >= 0; shift -= 16)
        {
            sum += (uint)(_high >> shift & 0xFFFF);
            sum += (uint)(_low >> shift & 0xFFFF);
        }
        return sum;
    }

    /// <summary>Formats as dotted quad or RFC 5952 text (lowercase, longest zero run as "::") without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if (_isIPv4)
        {
            uint v = (uint)_low;
            for (int i = 3; i >= 0; i--)
            {
                if (!((byte)(v >> (i * 8))).TryFormat(destination[charsWritten..], out int n))
                {
                    return false;
                }
                charsWritten += n;
                if (i > 0)
                {
                    if (charsWritten >= destination.Length)
                    {
                        return false;
                    }
                    destination[charsWritten++] = '.';
                }
            }
            return true;
        }
        if (IsNone)
        {
            return false;
        }

        Span<ushort> groups = stackalloc ushort[8];
        for (int i = 0; i < 4; i++)
        {
            groups[i] = (ushort)(_high >> (48 - 16 * i));
            groups[4 + i] = (ushort)(_low >> (48 - 16 * i));
        }
        int bestStart = -1, bestLength = 0;
        for (int i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0)
            {
                i++;
            }
            if (i - start > bestLength)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2)
        {
            bestStart = -1;
        }

        if (destination.Length < 41)
        {
            return false;
        }
        int pos = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                destination[pos++] = ':';
                destination[pos++] = ':';
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength)
            {
                destination[pos++] = ':';
            }
            groups[i].TryFormat(destination[pos..], out int n, "x");
            pos += n;
        }
        charsWritten = pos;
        return true;
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[48];
        return TryFormat(buffer, out int n) ? new string(buffer[..n]) : string.Empty;
    }

    public bool Equals(NetworkAddress other) => _high == other._high && _low == other._low && _isIPv4 == other._isIPv4;

    public override bool Equals(object? obj) => obj is NetworkAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low, _isIPv4);

    public int CompareTo(NetworkAddress other)
    {
        int c = _isIPv4.CompareTo(other._isIPv4);
        if (c != 0)
        {
            return -c;
        }
        c = _high.CompareTo(other._high);
        return c != 0 ? c : _low.CompareTo(other._low);
    }

    public static bool operator ==(NetworkAddress left, NetworkAddress right) => left.Equals(right);

    public static bool operator !=(NetworkAddress left, NetworkAddress right) => !left.Equals(right);

    public static bool operator <(NetworkAddress left, NetworkAddress right) => left.CompareTo(right) < 0;

    public static bool operator >(NetworkAddress left, NetworkAddress right) => left.CompareTo(right) > 0;

    public static bool operator <=(NetworkAddress left, NetworkAddress right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NetworkAddress left, NetworkAddress right) => left.CompareTo(right) >= 0;
}
