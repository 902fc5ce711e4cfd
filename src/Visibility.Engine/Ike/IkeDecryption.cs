namespace Visibility.Engine.Ike;

/// <summary>What became of a message's SK/SKF payload (EVE <c>ike.decrypted</c>: null, true or false).</summary>
public enum IkeDecryption : byte
{
    /// <summary>No SK or SKF payload (IKE_SA_INIT, unprotected messages): <c>decrypted: null</c>.</summary>
    NotEncrypted = 0,

    /// <summary>No keys for this SA.</summary>
    NoKeys = 1,

    /// <summary>Keys verified and decrypted the message (for fragments: this one completed it).</summary>
    Decrypted = 2,

    /// <summary>The ICV or AEAD tag did not verify, or the padding was bad.</summary>
    IntegrityFailed = 3,

    /// <summary>The SK/SKF payload is too short or misaligned for the cipher.</summary>
    Malformed = 4,

    /// <summary>An IKE fragment decrypted, waiting for the others.</summary>
    FragmentPending = 5,

    /// <summary>The keys name a cipher that cannot be decrypted here.</summary>
    Unsupported = 6,
}
