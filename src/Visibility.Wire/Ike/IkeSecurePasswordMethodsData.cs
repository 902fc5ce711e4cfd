using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of SECURE_PASSWORD_METHODS (16424): a list of 16-bit method IDs.</summary>
/// <remarks>RFC 6467 §2, §6: the request lists the acceptable methods, the response exactly one. Methods:
/// 1 PACE (RFC 6631), 2 AugPAKE (RFC 6628), 3 Secure PSK Authentication (RFC 6617); 1024-65535 private use.</remarks>
public readonly ref struct IkeSecurePasswordMethodsData
{
    private IkeSecurePasswordMethodsData(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>False when the list is empty or has an odd number of octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeSecurePasswordMethodsData methods)
    {
        if (data.IsEmpty || (data.Length & 1) != 0)
        {
            methods = default;
            return false;
        }
        methods = new IkeSecurePasswordMethodsData(data);
        return true;
    }

    public int Count => Data.Length / 2;

    public ushort GetMethod(int index) => BinaryPrimitives.ReadUInt16BigEndian(Data[(index * 2)..]);
}
