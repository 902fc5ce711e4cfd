using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>A Child SA pair negotiated inside an IKE SA (decrypted IKE_AUTH or CREATE_CHILD_SA, RFC 7296 §1.3):
/// the SPI each side chose for its inbound traffic, the accepted transforms and the traffic selectors.</summary>
/// <remarks>Each side's proposal carries its own inbound SPI (RFC 7296 §3.3.1): ESP from the initiator to the responder
/// uses <see cref="ResponderSpi"/>, the other direction <see cref="InitiatorSpi"/>. "Initiator" here is the
/// initiator of the exchange that created the Child SA.</remarks>
public struct IkeChildSa
{
    public ProtocolId Protocol { readonly get; internal set; }

    /// <summary>The SPI chosen by the exchange's initiator (in its request's proposal).</summary>
    public uint InitiatorSpi { readonly get; internal set; }

    /// <summary>The SPI chosen by the exchange's responder (in its response's proposal).</summary>
    public uint ResponderSpi { readonly get; internal set; }

    /// <summary>True when the exchange's initiator was the IKE SA's original initiator.</summary>
    public bool ByOriginalInitiator { readonly get; internal set; }

    public EncryptionAlgorithm Encryption { readonly get; internal set; }

    /// <summary>Key Length attribute in bits (0 when the cipher has none).</summary>
    public int KeyLength { readonly get; internal set; }

    public IntegrityAlgorithm Integrity { readonly get; internal set; }

    public bool ExtendedSequenceNumbers { readonly get; internal set; }

    /// <summary>USE_TRANSPORT_MODE was accepted (echoed in the response).</summary>
    public bool Transport { readonly get; internal set; }

    /// <summary>USE_WESP_MODE was accepted (RFC 5840 §4).</summary>
    public bool Wesp { readonly get; internal set; }

    /// <summary>The exchange that created it: IKE_AUTH or CREATE_CHILD_SA.</summary>
    public IkeExchangeType Exchange { readonly get; internal set; }

    /// <summary>The SPI of the Child SA this one rekeyed (REKEY_SA), 0 otherwise.</summary>
    public uint RekeyOf { readonly get; internal set; }

    /// <summary>A Delete for one of its SPIs was seen.</summary>
    public bool Deleted { readonly get; internal set; }

    /// <summary>Frame number of the response that created it.</summary>
    public long Frame { readonly get; internal set; }

    public IkeTrafficRangeList InitiatorSelectors;

    public IkeTrafficRangeList ResponderSelectors;

    /// <summary>ENCR_NULL or ENCR_NULL_AUTH_AES_GMAC: the ESP payload is in clear (contract: verdict "null").</summary>
    public readonly bool IsNull => Encryption is EncryptionAlgorithm.EncrNull or EncryptionAlgorithm.NullAuthAesGmac;

    /// <summary>ICV octets of the ESP packets: the AEAD tag length for combined-mode ciphers, else the integrity ICV.</summary>
    public readonly int IcvLength => IkeAlgorithms.IsAead(Encryption) ? IkeAlgorithms.GetAeadIcvLength(Encryption) : IkeAlgorithms.GetIcvLength(Integrity);

    /// <summary>IV octets of the ESP packets for a NULL SA: 8 for GMAC (RFC 4543 §3), 0 for ENCR_NULL.</summary>
    public readonly int IvLength => Encryption == EncryptionAlgorithm.NullAuthAesGmac ? 8 : 0;
}
