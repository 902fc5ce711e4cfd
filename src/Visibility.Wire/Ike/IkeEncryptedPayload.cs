namespace Visibility.Wire.Ike;

/// <summary>View over an SK payload (type 46): IV, encrypted inner payloads with padding, ICV.</summary>
/// <remarks>
/// RFC 7296 §3.14; AEAD form RFC 5282 §3:
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Initialization Vector                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                    Encrypted IKE Payloads                     ~
/// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |               |             Padding (0-255 octets)            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///                                                 |  Pad Length   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                    Integrity Checksum Data                    ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Next Payload names the first inner payload. The IV and ICV lengths depend on the negotiated transforms
/// (<see cref="IkeAlgorithms"/>), so the view only splits off the generic header; <see cref="IkeSkDecryptor"/> does the rest.
/// </remarks>
public readonly ref struct IkeEncryptedPayload
{
    private IkeEncryptedPayload(ReadOnlySpan<byte> payload) => Bytes = payload;

    /// <summary>The whole payload, generic header included.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Wraps a whole SK payload (generic header included); false when shorter than the generic header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out IkeEncryptedPayload view)
    {
        if (payload.Length < 4)
        {
            view = default;
            return false;
        }
        view = new IkeEncryptedPayload(payload);
        return true;
    }

    /// <summary>The type of the first inner payload.</summary>
    public IkePayloadType FirstInnerPayload => (IkePayloadType)Bytes[0];

    /// <summary>IV, ciphertext (with padding and Pad Length) and ICV.</summary>
    public ReadOnlySpan<byte> EncryptedPart => Bytes[4..];
}
