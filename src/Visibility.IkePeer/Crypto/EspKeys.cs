namespace Visibility.IkePeer.Crypto;

/// <summary>Keys of one direction of an ESP SA: encryption key material (salt included) and integrity key.</summary>
internal sealed record EspKeys(byte[] EncryptionKey, byte[] IntegrityKey);
