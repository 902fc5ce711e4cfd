using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over an SKF payload (type 53): one fragment of an SK payload, encrypted on its own.</summary>
/// <remarks>
/// RFC 7383 §2.5:
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        Fragment Number        |        Total Fragments        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Initialization Vector                     |
/// ~                      Encrypted content                        ~
/// ~                    Integrity Checksum Data                    ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Fragment Number starts at 1 and never exceeds Total Fragments; neither is 0. Next Payload is the first inner
/// payload in fragment 1 and 0 in the others. The AEAD associated data ends after Total Fragments.
/// </remarks>
public readonly ref struct IkeEncryptedFragmentPayload
{
    /// <summary>Generic header plus Fragment Number and Total Fragments.</summary>
    public const int HeaderLength = 8;

    private IkeEncryptedFragmentPayload(ReadOnlySpan<byte> payload) => Bytes = payload;

    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Wraps a whole SKF payload (generic header included); false when shorter than 8 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out IkeEncryptedFragmentPayload view)
    {
        if (payload.Length < HeaderLength)
        {
            view = default;
            return false;
        }
        view = new IkeEncryptedFragmentPayload(payload);
        return true;
    }

    /// <summary>In fragment 1 the type of the first inner payload; 0 in the others.</summary>
    public IkePayloadType FirstInnerPayload => (IkePayloadType)Bytes[0];

    public ushort FragmentNumber => BinaryPrimitives.ReadUInt16BigEndian(Bytes[4..]);

    public ushort TotalFragments => BinaryPrimitives.ReadUInt16BigEndian(Bytes[6..]);

    /// <summary>RFC 7383 §2.5: both numbers non-zero and Fragment Number at most Total Fragments.</summary>
    public bool AreNumbersValid => FragmentNumber != 0 && TotalFragments != 0 && FragmentNumber <= TotalFragments;

    /// <summary>IV, ciphertext and ICV.</summary>
    public ReadOnlySpan<byte> EncryptedPart => Bytes[HeaderLength..];
}
