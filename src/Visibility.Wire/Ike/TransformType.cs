namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Transform Type (transform substructure octet 4), IANA "Transform Type Values".</summary>
/// <remarks>RFC 7296 §3.3.2 (1-5); 6-12 are the additional key exchanges ADDKE1-ADDKE7 of RFC 9370.</remarks>
public enum TransformType : byte
{
    None = 0,
    /// <summary>ENCR.</summary>
    Encryption = 1,
    /// <summary>PRF.</summary>
    PseudorandomFunction = 2,
    /// <summary>INTEG.</summary>
    Integrity = 3,
    /// <summary>D-H (now "Key Exchange Method").</summary>
    DiffieHellman = 4,
    /// <summary>ESN: Extended Sequence Numbers (0 = no, 1 = yes).</summary>
    ExtendedSequenceNumbers = 5,
    AdditionalKeyExchange1 = 6,
    AdditionalKeyExchange2 = 7,
    AdditionalKeyExchange3 = 8,
    AdditionalKeyExchange4 = 9,
    AdditionalKeyExchange5 = 10,
    AdditionalKeyExchange6 = 11,
    AdditionalKeyExchange7 = 12,
}
