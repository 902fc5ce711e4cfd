namespace Visibility.Wire.Ike.Keys;

/// <summary>One row of Wireshark's <c>esp_sa</c> table: the keys of one ESP SA (one direction).</summary>
/// <remarks>
/// Row format (Wireshark UAT, as strongSwan's save-keys plugin writes it):
/// <c>"IPv4","src","dst","0xSPI","encryption name","0xkey","authentication name","0xkey"</c>. Addresses and SPI may be
/// <c>*</c> (any); address text is kept as written and parsed into <see cref="SourceAddress"/>/<see cref="DestinationAddress"/>
/// when it is a plain address. Keys starting with <c>0x</c> are hex, others are taken as ASCII text (Wireshark's rule).
/// The encryption key of CTR/GCM/ChaCha20 includes the 4-octet salt/nonce.
/// </remarks>
public sealed record EspSaEntry
{
    /// <summary>"IPv4" or "IPv6".</summary>
    public required string Protocol { get; init; }

    /// <summary>Source address as written ("*" for any).</summary>
    public required string Source { get; init; }

    /// <summary>The source address when <see cref="Source"/> is a plain address; null for wildcards.</summary>
    public required NetworkAddress? SourceAddress { get; init; }

    public required string Destination { get; init; }

    public required NetworkAddress? DestinationAddress { get; init; }

    /// <summary>The SPI; null for "*".</summary>
    public required uint? Spi { get; init; }

    /// <summary>The encryption name exactly as written.</summary>
    public required string EncryptionName { get; init; }

    /// <summary>The IKEv2 ENCR transform the name denotes; null for ciphers without one (TWOFISH-CBC).</summary>
    public required EncryptionAlgorithm? Encryption { get; init; }

    public required byte[] EncryptionKey { get; init; }

    /// <summary>The authentication name exactly as written.</summary>
    public required string AuthenticationName { get; init; }

    /// <summary>The INTEG transform; <see cref="IntegrityAlgorithm.None"/> for "NULL"; null when the name has no transform ID.</summary>
    public required IntegrityAlgorithm? Integrity { get; init; }

    public required byte[] AuthenticationKey { get; init; }

    /// <summary>ICV octets of the ESP packets: the AEAD tag for combined-mode ciphers, else the integrity ICV.</summary>
    public required int IcvLength { get; init; }

    /// <summary>False for "ANY n bit authentication [no checking]".</summary>
    public required bool ChecksIntegrity { get; init; }

    public string SourceName { get; init; } = string.Empty;

    public int LineNumber { get; init; }
}
