using Visibility.IkePeer.Crypto;

namespace Visibility.IkePeer.Messages;

/// <summary>Keys and transforms that protect the SK payloads of one direction of an IKE SA.</summary>
internal sealed record SkCipher(EncryptionTransform Encryption, IntegrityTransform Integrity, byte[] EncryptionKey, byte[] IntegrityKey)
{
    /// <summary>Octets after the IV that are not ciphertext: the separate ICV, or nothing for AEAD (the tag is in the ciphertext).</summary>
    public int TrailerLength => Encryption.IsAead ? 0 : Integrity.IcvLength;
}
