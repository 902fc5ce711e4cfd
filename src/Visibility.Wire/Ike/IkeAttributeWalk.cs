using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>One step through a run of IKE attributes (transform attributes, RFC 7296 §3.3.5; configuration attributes,
/// §3.15.1): both are type, length, value, with the length in octets 2-3; a transform attribute with the high bit of its
/// type set (AF = 1, TV format) is four octets, its value in place of the length.</summary>
internal static class IkeAttributeWalk
{
    /// <summary>The attribute at <paramref name="offset"/>, advancing past it. False at the end, or when the rest
    /// cannot form an attribute (then <paramref name="malformed"/> is set, and every later call is false).</summary>
    public static bool TryTake(ReadOnlySpan<byte> bytes, scoped ref int offset, scoped ref bool malformed, bool allowTypeValue, out ReadOnlySpan<byte> attribute)
    {
        attribute = default;
        int remaining = bytes.Length - offset;
        if (remaining == 0 || malformed)
        {
            return false;
        }
        if (remaining < 4)
        {
            malformed = true;
            return false;
        }
        ReadOnlySpan<byte> rest = bytes[offset..];
        int length = allowTypeValue && (rest[0] & 0x80) != 0 ? 4 : 4 + BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        if (length > remaining)
        {
            malformed = true;
            return false;
        }
        attribute = rest[..length];
        offset += length;
        return true;
    }
}
