namespace Visibility.IkePeer.Messages;

/// <summary>Outcome of decoding a received IKE datagram.</summary>
internal enum IkeDecodeStatus
{
    Ok = 0,

    /// <summary>Too short, wrong version, a length that does not add up, or a payload that cannot be read.</summary>
    Malformed = 1,

    /// <summary>The message carries an SK payload but no keys were given.</summary>
    NoKeys = 2,

    /// <summary>The ICV or AEAD tag did not verify.</summary>
    IntegrityFailed = 3,

    /// <summary>A payload of unknown type had the critical bit set [RFC 7296 §2.5].</summary>
    UnsupportedCriticalPayload = 4,

    /// <summary>The message is one SKF fragment [RFC 7383 §2.5]; <see cref="IkeCodec.TryDecodeFragment"/> reads it.</summary>
    Fragment = 5,

    /// <summary>A fragment was taken; the message is not complete yet.</summary>
    FragmentPending = 6,
}
