namespace Visibility.Wire.Ike;

/// <summary>View over the body of an AUTH payload (type 39).</summary>
/// <remarks>
/// RFC 7296 §3.8 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Auth Method   |                RESERVED                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                      Authentication Data                      ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct IkeAuthenticationPayload
{
    private IkeAuthenticationPayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeAuthenticationPayload payload)
    {
        if (body.Length < 4)
        {
            payload = default;
            return false;
        }
        payload = new IkeAuthenticationPayload(body);
        return true;
    }

    public AuthMethod AuthMethod => (AuthMethod)Body[0];

    public ReadOnlySpan<byte> Data => Body[4..];
}
