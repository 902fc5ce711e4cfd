namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of NAT_DETECTION_SOURCE_IP (16388) and NAT_DETECTION_DESTINATION_IP (16389).</summary>
/// <remarks>RFC 7296 §2.23: SHA-1(SPIi | SPIr | IP address | port), 20 octets.</remarks>
public readonly ref struct IkeNatDetectionData
{
    public const int Length = 20;

    private IkeNatDetectionData(ReadOnlySpan<byte> hash) => Hash = hash;

    public ReadOnlySpan<byte> Hash { get; }

    /// <summary>False unless the data is exactly 20 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeNatDetectionData detection)
    {
        if (data.Length != Length)
        {
            detection = default;
            return false;
        }
        detection = new IkeNatDetectionData(data);
        return true;
    }
}
