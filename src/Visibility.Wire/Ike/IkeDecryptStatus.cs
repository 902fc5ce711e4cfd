namespace Visibility.Wire.Ike;

/// <summary>Outcome of decrypting an SK or SKF payload.</summary>
public enum IkeDecryptStatus : byte
{
    /// <summary>Decrypted; the ICV (or AEAD tag) verified, or the keys say not to check it.</summary>
    Ok = 0,

    /// <summary>The ICV or AEAD tag did not verify. The plaintext was still produced (unauthenticated) so that a
    /// tool can show it; do not trust it.</summary>
    IntegrityFailed = 1,

    /// <summary>The payload is too short for IV and ICV, extends beyond the message, or the ciphertext is not
    /// aligned to the cipher block. Nothing was decrypted.</summary>
    Malformed = 2,

    /// <summary>Decrypted, but the Pad Length octet points before the start of the plaintext (wrong keys or a damaged message).</summary>
    BadPadding = 3,

    /// <summary>The plaintext buffer is shorter than the ciphertext.</summary>
    DestinationTooSmall = 4,

    /// <summary>The message has no SK or SKF payload (or is not an IKEv2 message).</summary>
    NotEncrypted = 5,
}
