using Visibility.Wire;
using Visibility.Wire.Ike;
using Visibility.Wire.Ike.Keys;

namespace Visibility.Engine.Ike;

/// <summary>What an <c>esp_sa</c> key-file row says about one ESP SA: its addresses (null = any), whether it is NULL,
/// and its ICV/IV lengths.</summary>
internal readonly record struct IkeEspKey(NetworkAddress? Source, NetworkAddress? Destination, bool IsNull, int IcvLength, int IvLength)
{
    public static IkeEspKey From(EspSaEntry entry)
    {
        EncryptionAlgorithm? encryption = entry.Encryption;
        bool isNull = encryption is EncryptionAlgorithm.EncrNull or EncryptionAlgorithm.NullAuthAesGmac;
        int iv = encryption == EncryptionAlgorithm.NullAuthAesGmac ? 8 : 0;
        int icv = encryption == EncryptionAlgorithm.NullAuthAesGmac ? 16 : entry.IcvLength;
        return new IkeEspKey(entry.SourceAddress, entry.DestinationAddress, isNull, icv, iv);
    }

    public bool Matches(NetworkAddress source, NetworkAddress destination) =>
        (Source is not { } s || s == source) && (Destination is not { } d || d == destination);
}
