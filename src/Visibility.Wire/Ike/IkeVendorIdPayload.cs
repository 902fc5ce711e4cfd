namespace Visibility.Wire.Ike;

/// <summary>View over the body of a Vendor ID payload (type 43): an opaque identifier, often a hash.</summary>
/// <remarks>RFC 7296 §3.12.</remarks>
public readonly ref struct IkeVendorIdPayload
{
    private IkeVendorIdPayload(ReadOnlySpan<byte> vendorId) => VendorId = vendorId;

    public ReadOnlySpan<byte> VendorId { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeVendorIdPayload payload)
    {
        if (body.IsEmpty)
        {
            payload = default;
            return false;
        }
        payload = new IkeVendorIdPayload(body);
        return true;
    }
}
