using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>Keys and transforms that protect the SK payloads of one direction of an IKE SA.</summary>
internal sealed record SkCipher(EncryptionTransform Encryption, IntegrityTransform Integrity, byte[] EncryptionKey, byte[] IntegrityKey)
{
    /// <summary>Octets after the IV that are not ciphertext: the separate ICV, or nothing for AEAD (the tag is in the ciphertext).</summary>
    public int TrailerLength => Encryption.IsAead ? 0 : Integrity.IcvLength;

    /// <summary>The verifier and decryptor of the SK payloads this direction protects.</summary>
    public IkeSkDecryptor CreateDecryptor() =>
        new(Encryption.TransformId, EncryptionKey, Encryption.IsAead ? IntegrityAlgorithm.None : Integrity.TransformId, Encryption.IsAead ? [] : IntegrityKey);
}
