namespace Visibility.Engine.Esp;

/// <summary>Outcome of checking the header behind an ESP Next Header.</summary>
internal enum EspInnerStatus : byte
{
    /// <summary>A protocol the probe does not check (or nested too deep): no evidence either way.</summary>
    Unchecked = 0,
    /// <summary>A fixed rule is broken (RFC 5879 §8.3 "validity" check): this layout is wrong for this packet.</summary>
    Invalid = 1,
    /// <summary>All validity checks passed; the tally holds the plausibility evidence.</summary>
    Valid = 2,
}
