using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>One Transform substructure of a proposal.</summary>
/// <remarks>
/// RFC 7296 §3.3.2:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Last Substruc |   RESERVED    |        Transform Length       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Transform Type |   RESERVED    |          Transform ID         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                      Transform Attributes                     ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Last Substruc is 0 for the last transform and 3 otherwise. The only attribute defined is Key Length (14, TV,
/// in bits, RFC 7296 §3.3.5), exposed as <see cref="KeyLength"/>.
/// </remarks>
public readonly ref struct IkeTransform
{
    public const int HeaderLength = 8;

    internal IkeTransform(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>0 for the last transform, 3 when more follow.</summary>
    public byte LastSubstructure => Bytes[0];

    public int Length => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    public TransformType Type => (TransformType)Bytes[4];

    /// <summary>The Transform ID; interpret by <see cref="Type"/> (see the typed accessors).</summary>
    public ushort Id => BinaryPrimitives.ReadUInt16BigEndian(Bytes[6..]);

    public EncryptionAlgorithm EncryptionAlgorithm => (EncryptionAlgorithm)Id;

    public PrfAlgorithm PrfAlgorithm => (PrfAlgorithm)Id;

    public IntegrityAlgorithm IntegrityAlgorithm => (IntegrityAlgorithm)Id;

    public DhGroup DhGroup => (DhGroup)Id;

    public ReadOnlySpan<byte> AttributeBytes => Bytes[HeaderLength..];

    public IkeTransformAttributeReader GetAttributes() => new(AttributeBytes);

    /// <summary>The Key Length attribute in bits, or 0 when the transform has none (or its attributes are malformed).</summary>
    public int KeyLength
    {
        get
        {
            IkeTransformAttributeReader reader = GetAttributes();
            while (reader.TryReadNext(out IkeTransformAttribute attribute))
            {
                if (attribute.Type == IkeTransformAttribute.KeyLengthType && attribute.IsTypeValue)
                {
                    return attribute.Value;
                }
            }
            return 0;
        }
    }
}
