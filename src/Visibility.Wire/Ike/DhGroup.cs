namespace Visibility.Wire.Ike;

/// <summary>IKEv2 Transform Type 4 (D-H / Key Exchange Method) Transform IDs; also the KE payload's group and the
/// data of INVALID_KE_PAYLOAD.</summary>
/// <remarks>RFC 7296 §3.3.2, §3.4; MODP 14-18 RFC 3526; ECP 19-21 RFC 5903; 22-24 RFC 5114; 25-26 RFC 5903;
/// Brainpool 27-30 RFC 6954; 31-32 RFC 8031; GOST 33-34 RFC 9385; ML-KEM 35-37 (IANA registry).</remarks>
public enum DhGroup : ushort
{
    None = 0,
    Modp768 = 1,
    Modp1024 = 2,
    Modp1536 = 5,
    Modp2048 = 14,
    Modp3072 = 15,
    Modp4096 = 16,
    Modp6144 = 17,
    Modp8192 = 18,
    Ecp256 = 19,
    Ecp384 = 20,
    Ecp521 = 21,
    Modp1024S160 = 22,
    Modp2048S224 = 23,
    Modp2048S256 = 24,
    Ecp192 = 25,
    Ecp224 = 26,
    BrainpoolP224R1 = 27,
    BrainpoolP256R1 = 28,
    BrainpoolP384R1 = 29,
    BrainpoolP512R1 = 30,
    Curve25519 = 31,
    Curve448 = 32,
    Gost3410_2012_256 = 33,
    Gost3410_2012_512 = 34,
    MlKem512 = 35,
    MlKem768 = 36,
    MlKem1024 = 37,
}
