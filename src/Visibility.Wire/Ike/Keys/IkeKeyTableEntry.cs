namespace Visibility.Wire.Ike.Keys;

/// <summary>One row of Wireshark's <c>ikev2_decryption_table</c>: the SK_e/SK_a keys of one IKE SA.</summary>
/// <remarks>
/// Row format (Wireshark UAT, as strongSwan's save-keys plugin writes it):
/// <c>SPIi,SPIr,SK_ei,SK_er,"encryption name",SK_ai,SK_ar,"integrity name"</c>; SPIs are 16 hex digits, keys are hex
/// (empty for SK_a with AEAD ciphers). <see cref="Encryption"/>/<see cref="EncryptionKeyLength"/> come from the
/// Wireshark encryption name (e.g. "AES-GCM-128 with 16 octet ICV [RFC5282]"); SK_ei/SK_er include the salt/nonce.
/// <see cref="Integrity"/> is null for names without an IKEv2 transform ID (HMAC_SHA2_256_96 and the
/// "ANY n-bits [No Checking]" entries); <see cref="IcvLength"/> is always set and <see cref="ChecksIntegrity"/> says
/// whether the ICV can be verified.
/// </remarks>
public sealed record IkeKeyTableEntry
{
    public required ulong InitiatorSpi { get; init; }

    public required ulong ResponderSpi { get; init; }

    /// <summary>SK_ei: protects messages from the original initiator (cipher key and salt/nonce).</summary>
    public required byte[] InitiatorEncryptionKey { get; init; }

    /// <summary>SK_er: protects messages from the original responder.</summary>
    public required byte[] ResponderEncryptionKey { get; init; }

    /// <summary>The encryption name exactly as written in the file.</summary>
    public required string EncryptionName { get; init; }

    public required EncryptionAlgorithm Encryption { get; init; }

    /// <summary>Cipher key length in bits (0 for NULL).</summary>
    public required int EncryptionKeyLength { get; init; }

    /// <summary>SK_ai (empty with combined-mode ciphers).</summary>
    public required byte[] InitiatorIntegrityKey { get; init; }

    /// <summary>SK_ar (empty with combined-mode ciphers).</summary>
    public required byte[] ResponderIntegrityKey { get; init; }

    /// <summary>The integrity name exactly as written in the file.</summary>
    public required string IntegrityName { get; init; }

    /// <summary>The INTEG transform; <see cref="IntegrityAlgorithm.None"/> for "NONE"; null when the name has no transform ID.</summary>
    public required IntegrityAlgorithm? Integrity { get; init; }

    /// <summary>ICV octets at the end of each SK payload (the AEAD tag for combined-mode ciphers).</summary>
    public required int IcvLength { get; init; }

    /// <summary>False for "ANY n-bits of Authentication [No Checking]".</summary>
    public required bool ChecksIntegrity { get; init; }

    /// <summary>Where the row came from, for messages.</summary>
    public string Source { get; init; } = string.Empty;

    public int LineNumber { get; init; }
}
