namespace Visibility.Wire.Ike;

/// <summary>Where an <see cref="IkePayloadReader"/> stands, and why it stopped.</summary>
public enum IkeChainStatus : byte
{
    /// <summary>More payloads may follow.</summary>
    Reading = 0,

    /// <summary>A payload with Next Payload 0 ended the chain exactly at the end of the buffer.</summary>
    Complete = 1,

    /// <summary>The last payload read was SK (46) or SKF (53); its body is the encrypted part, and it ended the buffer.</summary>
    Encrypted = 2,

    /// <summary>A payload's length field was below the 4-octet generic header.</summary>
    PayloadTooShort = 3,

    /// <summary>A payload (or its generic header) extends beyond the buffer.</summary>
    PayloadTruncated = 4,

    /// <summary>The buffer ended where the chain promised another payload (Next Payload not 0).</summary>
    Unterminated = 5,

    /// <summary>The chain ended (Next Payload 0, or SK/SKF) before the end of the buffer.</summary>
    TrailingData = 6,
}
