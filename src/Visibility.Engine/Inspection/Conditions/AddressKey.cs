using System.Buffers.Binary;
using Visibility.Wire;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>A <see cref="NetworkAddress"/> as a number for range lookups, computed once per packet.</summary>
internal readonly struct AddressKey
{
    public AddressKey(byte family, uint v4, UInt128 v6)
    {
        Family = family;
        V4 = v4;
        V6 = v6;
    }

    /// <summary>4, 6, or 0 for no address.</summary>
    public byte Family { get; }

    public uint V4 { get; }

    public UInt128 V6 { get; }

    public static AddressKey From(NetworkAddress address)
    {
        if (address.IsIPv4)
        {
            return new AddressKey(4, address.IPv4Value, UInt128.Zero);
        }
        if (address.IsNone)
        {
            return default;
        }
        Span<byte> bytes = stackalloc byte[16];
        address.WriteBytes(bytes);
        return new AddressKey(6, 0, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }
}
