namespace Visibility.Engine.Esp;

/// <summary>How well one ESP packet fits one candidate layout, weakest first.</summary>
/// <remarks>Evidence is counted in "check bits" as in RFC 5879 §8.3: about how many bits of the packet had to take
/// one particular value for the checks to pass, so random ciphertext passes with a chance near 2^-bits.</remarks>
internal enum EspFit : byte
{
    /// <summary>The layout cannot be this packet's: out of bounds, Pad Length too large, an inner header invalid, or
    /// non-default padding with a Next Header we cannot check.</summary>
    Fail = 0,
    /// <summary>Next Header 59 (RFC 4303 §2.6): the trailer fits, the payload says nothing.</summary>
    Dummy = 1,
    /// <summary>Default padding 1, 2, ... but a Next Header we cannot check: RFC 5879 §8.2's "unsure".</summary>
    Weak = 2,
    /// <summary>A checkable inner header is structurally valid, with fewer than 16 check bits.</summary>
    Structural = 3,
    /// <summary>At least 16 check bits.</summary>
    Plausible = 4,
    /// <summary>At least 32 check bits including a verified 16-bit field (checksum or exact length).</summary>
    Strong = 5,
}
