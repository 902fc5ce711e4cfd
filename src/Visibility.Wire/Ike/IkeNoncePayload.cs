namespace Visibility.Wire.Ike;

/// <summary>View over the body of a Nonce payload (type 40): the nonce data itself.</summary>
/// <remarks>RFC 7296 §3.9: 16 to 256 octets. <see cref="TryRead"/> accepts any non-empty body so that an
/// out-of-range nonce can still be reported; <see cref="IsLengthValid"/> says whether it is in range.</remarks>
public readonly ref struct IkeNoncePayload
{
    public const int MinLength = 16;
    public const int MaxLength = 256;

    private IkeNoncePayload(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeNoncePayload payload)
    {
        if (body.IsEmpty)
        {
            payload = default;
            return false;
        }
        payload = new IkeNoncePayload(body);
        return true;
    }

    public bool IsLengthValid => Data.Length is >= MinLength and <= MaxLength;
}
