namespace Visibility.Wire.Ike;

/// <summary>View over the body of an IDi or IDr payload (types 35, 36).</summary>
/// <remarks>
/// RFC 7296 §3.5 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   ID Type     |                 RESERVED                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                   Identification Data                         ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The whole body is IDi'/IDr', the input of the AUTH computation (RFC 7296 §2.15).
/// </remarks>
public readonly ref struct IkeIdentificationPayload
{
    private IkeIdentificationPayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeIdentificationPayload payload)
    {
        if (body.Length < 4)
        {
            payload = default;
            return false;
        }
        payload = new IkeIdentificationPayload(body);
        return true;
    }

    public IdType IdType => (IdType)Body[0];

    public ReadOnlySpan<byte> Data => Body[4..];

    /// <summary>True when the data length fits the type: 4 octets for ID_IPV4_ADDR, 16 for ID_IPV6_ADDR, any otherwise.</summary>
    public bool IsDataLengthValid => IdType switch
    {
        IdType.IPv4Address => Data.Length == 4,
        IdType.IPv6Address => Data.Length == 16,
        _ => true,
    };
}
