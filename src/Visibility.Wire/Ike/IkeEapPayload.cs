using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the body of an EAP payload (type 48): one EAP message.</summary>
/// <remarks>
/// RFC 7296 §3.16 and RFC 3748 §4 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Code      | Identifier    |           Length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      | Type_Data...  (Request and Response only)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The EAP Length covers the EAP message; <see cref="IsLengthConsistent"/> checks it against the payload.
/// </remarks>
public readonly ref struct IkeEapPayload
{
    private IkeEapPayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    /// <summary>Wraps an EAP body; false when shorter than the 4-octet EAP header, or a Request/Response without Type.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out IkeEapPayload payload)
    {
        if (body.Length < 4 || ((EapCode)body[0] is EapCode.Request or EapCode.Response && body.Length < 5))
        {
            payload = default;
            return false;
        }
        payload = new IkeEapPayload(body);
        return true;
    }

    public EapCode Code => (EapCode)Body[0];

    public byte Identifier => Body[1];

    /// <summary>The EAP Length field (whole EAP message).</summary>
    public int EapLength => BinaryPrimitives.ReadUInt16BigEndian(Body[2..]);

    /// <summary>True for Request and Response, which carry a Type octet.</summary>
    public bool HasType => Code is EapCode.Request or EapCode.Response;

    /// <summary>EAP method type (1 Identity, 13 EAP-TLS, 18 EAP-SIM, 23 EAP-AKA, 26 MS-CHAPv2, ...); 0 when absent.</summary>
    public byte Type => HasType ? Body[4] : (byte)0;

    public ReadOnlySpan<byte> TypeData => HasType ? Body[5..] : [];

    public bool IsLengthConsistent => EapLength == Body.Length;
}
