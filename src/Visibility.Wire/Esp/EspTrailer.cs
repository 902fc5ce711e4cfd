namespace Visibility.Wire.Esp;

/// <summary>View over the ESP trailer of a whole ESP packet, located by counting back from the end of the packet
/// with a known (or guessed) ICV length and IV length.</summary>
/// <remarks>
/// RFC 4303 §2 (layout), §2.4 (padding), §2.5 (Pad Length), §2.6 (Next Header); offsets from the first SPI octet,
/// <c>L</c> = length from the SPI through the end of the ICV:
/// <code>
///  0       4       8         8+IV                  L-ICV-2-PadLen   L-ICV-2  L-ICV-1  L-ICV     L
///  +-------+-------+---------+---------------------+----------------+--------+--------+---------+
///  |  SPI  |  Seq  |   IV    |  payload (+TFC pad) |  padding 1,2.. | PadLen | NextHdr |   ICV   |
///  +-------+-------+---------+---------------------+----------------+--------+--------+---------+
/// </code>
/// The trailer is only meaningful when the span holds the whole packet: a snap-length cut or a missing last fragment
/// moves the end. Nothing here says whether the layout is the right one; the ESP-NULL probe decides that.
/// </remarks>
public readonly ref struct EspTrailer
{
    /// <summary>SPI plus Sequence Number.</summary>
    public const int HeaderLength = 8;

    /// <summary>Pad Length plus Next Header.</summary>
    public const int FixedTrailerLength = 2;

    /// <summary>The Next Header value of a dummy packet (RFC 4303 §2.6).</summary>
    public const byte DummyNextHeader = 59;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _icvLength;
    private readonly int _ivLength;

    private EspTrailer(ReadOnlySpan<byte> packet, int icvLength, int ivLength)
    {
        _packet = packet;
        _icvLength = icvLength;
        _ivLength = ivLength;
    }

    /// <summary>Octets 1, 2, 3, ... 255: the default padding content of RFC 4303 §2.4, for comparisons.</summary>
    private static ReadOnlySpan<byte> DefaultPaddingBytes =>
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
        33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64,
        65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96,
        97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128,
        129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160,
        161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192,
        193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224,
        225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
    ];

    /// <summary>Locates the trailer of <paramref name="esp"/> (SPI through the end of the ICV) for the given ICV and IV
    /// lengths. Fails when the SPI, Sequence Number, IV, Pad Length, Next Header and ICV do not fit, or when the Pad Length
    /// reaches back into the IV or header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> esp, int icvLength, int ivLength, out EspTrailer trailer)
    {
        trailer = default;
        if ((uint)icvLength > (uint)esp.Length || (uint)ivLength > (uint)esp.Length)
        {
            return false;
        }
        // Written as subtractions from the length so that no sum can overflow.
        int icvStart = esp.Length - icvLength;
        if (icvStart < HeaderLength + ivLength + FixedTrailerLength)
        {
            return false;
        }
        int padLength = esp[icvStart - 2];
        if (icvStart - FixedTrailerLength - padLength < HeaderLength + ivLength)
        {
            return false;
        }
        trailer = new EspTrailer(esp, icvLength, ivLength);
        return true;
    }

    /// <summary>True when <paramref name="padding"/> is 1, 2, 3, ... (RFC 4303 §2.4 default content); true for no padding.</summary>
    public static bool IsDefaultPadding(ReadOnlySpan<byte> padding) =>
        padding.Length <= DefaultPaddingBytes.Length && padding.SequenceEqual(DefaultPaddingBytes[..padding.Length]);

    public int IcvLength => _icvLength;

    public int IvLength => _ivLength;

    /// <summary>Offset of the ICV from the first SPI octet.</summary>
    public int IcvOffset => _packet.Length - _icvLength;

    public byte NextHeader => _packet[IcvOffset - 1];

    public byte PadLength => _packet[IcvOffset - 2];

    /// <summary>Offset of the first padding octet (also one past the payload and any TFC padding).</summary>
    public int PaddingOffset => IcvOffset - FixedTrailerLength - PadLength;

    /// <summary>Offset of the payload: after SPI, Sequence Number and IV.</summary>
    public int PayloadOffset => HeaderLength + _ivLength;

    /// <summary>Payload length including any TFC padding (RFC 4303 §2.7), which only the inner length fields reveal.</summary>
    public int PayloadLength => PaddingOffset - PayloadOffset;

    public ReadOnlySpan<byte> Payload => _packet.Slice(PayloadOffset, PayloadLength);

    public ReadOnlySpan<byte> Padding => _packet.Slice(PaddingOffset, PadLength);

    public ReadOnlySpan<byte> Icv => _packet[IcvOffset..];

    /// <summary>The padding reads 1, 2, 3, ... as RFC 4303 §2.4 prescribes when the cipher does not say otherwise.</summary>
    public bool HasDefaultPadding => IsDefaultPadding(Padding);

    /// <summary>Next Header 59: a dummy packet (RFC 4303 §2.6) whose payload is meaningless.</summary>
    public bool IsDummy => NextHeader == DummyNextHeader;
}
