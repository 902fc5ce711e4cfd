using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Visibility.Wire.Ike.Keys;

/// <summary>Reads Wireshark's key tables: <c>ikev2_decryption_table</c> (IKEv2 SA keys) and <c>esp_sa</c> (ESP SA keys),
/// in the UAT format that Wireshark saves and strongSwan's save-keys plugin writes.</summary>
/// <remarks>
/// Blank lines and lines starting with <c>#</c> are skipped. Every error throws <see cref="KeyFileException"/> whose
/// message starts with <c>source:line:</c>. Algorithm names must be Wireshark's exact strings
/// (<see cref="WiresharkAlgorithmNames"/>); key lengths are checked against them as Wireshark does. This runs at load
/// time and allocates freely.
/// </remarks>
public static class WiresharkKeyFiles
{
    /// <summary>The file name of the IKEv2 table.</summary>
    public const string Ikev2DecryptionTableFileName = "ikev2_decryption_table";

    /// <summary>The file name of the ESP table.</summary>
    public const string EspSaFileName = "esp_sa";

    public static IReadOnlyList<IkeKeyTableEntry> LoadIkev2DecryptionTable(string path)
    {
        using var reader = new StreamReader(path);
        return ReadIkev2DecryptionTable(reader, path);
    }

    public static IReadOnlyList<EspSaEntry> LoadEspSa(string path)
    {
        using var reader = new StreamReader(path);
        return ReadEspSa(reader, path);
    }

    /// <summary>Parses <c>SPIi,SPIr,SK_ei,SK_er,"encryption",SK_ai,SK_ar,"integrity"</c> rows.</summary>
    public static IReadOnlyList<IkeKeyTableEntry> ReadIkev2DecryptionTable(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<IkeKeyTableEntry>();
        var fields = new List<string>(8);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!NextRecord(line, fields, sourceName, lineNumber, expectedFields: 8))
            {
                continue;
            }
            ulong spiI = ParseIkeSpi(fields[0], "initiator SPI", sourceName, lineNumber);
            ulong spiR = ParseIkeSpi(fields[1], "responder SPI", sourceName, lineNumber);
            byte[] skEi = ParseHex(fields[2], "SK_ei", sourceName, lineNumber);
            byte[] skEr = ParseHex(fields[3], "SK_er", sourceName, lineNumber);
            byte[] skAi = ParseHex(fields[5], "SK_ai", sourceName, lineNumber);
            byte[] skAr = ParseHex(fields[6], "SK_ar", sourceName, lineNumber);
            string encryptionName = fields[4];
            string integrityName = fields[7];
            if (!WiresharkAlgorithmNames.TryGetIkeCipher(encryptionName, out WiresharkAlgorithmNames.IkeCipher cipher))
            {
                throw new KeyFileException(sourceName, lineNumber, $"unknown IKEv2 encryption algorithm \"{encryptionName}\" (expected a Wireshark name such as \"AES-CBC-128 [RFC3602]\")");
            }
            if (!WiresharkAlgorithmNames.TryGetIkeIntegrity(integrityName, out WiresharkAlgorithmNames.IkeIntegrity integrity))
            {
                throw new KeyFileException(sourceName, lineNumber, $"unknown IKEv2 integrity algorithm \"{integrityName}\" (expected a Wireshark name such as \"HMAC_SHA2_256_128 [RFC4868]\")");
            }
            int encryptionKeyLength = IkeAlgorithms.GetEncryptionKeyMaterialLength(cipher.Algorithm, cipher.KeyLengthBits);
            CheckLength(skEi, encryptionKeyLength, "SK_ei", "encryption", sourceName, lineNumber);
            CheckLength(skEr, encryptionKeyLength, "SK_er", "encryption", sourceName, lineNumber);
            bool aead = IkeAlgorithms.IsAead(cipher.Algorithm);
            if (aead && integrity.Algorithm != IntegrityAlgorithm.None)
            {
                throw new KeyFileException(sourceName, lineNumber, $"\"{encryptionName}\" is a combined-mode cipher; the integrity algorithm must be \"NONE [RFC4306]\"");
            }
            if (integrity.KeyLength >= 0)
            {
                CheckLength(skAi, integrity.KeyLength, "SK_ai", "integrity", sourceName, lineNumber);
                CheckLength(skAr, integrity.KeyLength, "SK_ar", "integrity", sourceName, lineNumber);
            }
            entries.Add(new IkeKeyTableEntry
            {
                InitiatorSpi = spiI,
                ResponderSpi = spiR,
                InitiatorEncryptionKey = skEi,
                ResponderEncryptionKey = skEr,
                EncryptionName = encryptionName,
                Encryption = cipher.Algorithm,
                EncryptionKeyLength = cipher.KeyLengthBits,
                InitiatorIntegrityKey = skAi,
                ResponderIntegrityKey = skAr,
                IntegrityName = integrityName,
                Integrity = integrity.Algorithm,
                IcvLength = aead ? IkeAlgorithms.GetAeadIcvLength(cipher.Algorithm) : integrity.IcvLength,
                ChecksIntegrity = aead || (integrity.Checks && integrity.IcvLength > 0),
                Source = sourceName,
                LineNumber = lineNumber,
            });
        }
        return entries;
    }

    /// <summary>Parses <c>"IPv4","src","dst","0xSPI","encryption","0xkey","authentication","0xkey"</c> rows.</summary>
    public static IReadOnlyList<EspSaEntry> ReadEspSa(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<EspSaEntry>();
        var fields = new List<string>(8);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!NextRecord(line, fields, sourceName, lineNumber, expectedFields: 8))
            {
                continue;
            }
            string protocol = fields[0];
            AddressFamily family = protocol switch
            {
                "IPv4" => AddressFamily.InterNetwork,
                "IPv6" => AddressFamily.InterNetworkV6,
                _ => throw new KeyFileException(sourceName, lineNumber, $"protocol must be \"IPv4\" or \"IPv6\", not \"{protocol}\""),
            };
            NetworkAddress? source = ParseEspAddress(fields[1], family, "source", sourceName, lineNumber);
            NetworkAddress? destination = ParseEspAddress(fields[2], family, "destination", sourceName, lineNumber);
            uint? spi = ParseEspSpi(fields[3], sourceName, lineNumber);
            string encryptionName = fields[4];
            string authenticationName = fields[6];
            if (!WiresharkAlgorithmNames.TryGetEspCipher(encryptionName, out WiresharkAlgorithmNames.EspCipher cipher))
            {
                throw new KeyFileException(sourceName, lineNumber, $"unknown ESP encryption algorithm \"{encryptionName}\" (expected a Wireshark name such as \"AES-CBC [RFC3602]\" or \"NULL\")");
            }
            if (!WiresharkAlgorithmNames.TryGetEspAuthentication(authenticationName, out WiresharkAlgorithmNames.EspAuthentication authentication))
            {
                throw new KeyFileException(sourceName, lineNumber, $"unknown ESP authentication algorithm \"{authenticationName}\" (expected a Wireshark name such as \"HMAC-SHA-256-128 [RFC4868]\" or \"NULL\")");
            }
            byte[] encryptionKey = ParseEspKey(fields[5], "encryption key", sourceName, lineNumber);
            byte[] authenticationKey = ParseEspKey(fields[7], "authentication key", sourceName, lineNumber);
            EncryptionAlgorithm? encryption = cipher.Algorithm;
            bool aead = encryption is { } e && IkeAlgorithms.IsAead(e);
            int icvLength;
            if (aead)
            {
                if (authentication.Algorithm != IntegrityAlgorithm.None && !authentication.IsNoChecking)
                {
                    throw new KeyFileException(sourceName, lineNumber, $"\"{encryptionName}\" is a combined-mode cipher; authentication must be \"NULL\" (or \"ANY n bit authentication [no checking]\" giving the ICV length)");
                }
                icvLength = cipher.IcvLength;
                if (cipher.IcvFromAuthentication && authentication.IsNoChecking)
                {
                    // Wireshark's "AES-GCM [RFC4106]" takes its ICV length from the "ANY n bit" entry (strongSwan writes it so).
                    icvLength = authentication.IcvLength;
                    encryption = icvLength switch
                    {
                        8 => EncryptionAlgorithm.AesGcm8,
                        12 => EncryptionAlgorithm.AesGcm12,
                        16 => EncryptionAlgorithm.AesGcm16,
                        _ => throw new KeyFileException(sourceName, lineNumber, $"\"{encryptionName}\" with \"{authenticationName}\": AES-GCM ICVs are 8, 12 or 16 octets"),
                    };
                }
            }
            else
            {
                icvLength = authentication.IcvLength;
            }
            CheckEspCipherKey(encryption, encryptionKey, encryptionName, sourceName, lineNumber);
            entries.Add(new EspSaEntry
            {
                Protocol = protocol,
                Source = fields[1],
                SourceAddress = source,
                Destination = fields[2],
                DestinationAddress = destination,
                Spi = spi,
                EncryptionName = encryptionName,
                Encryption = encryption,
                EncryptionKey = encryptionKey,
                AuthenticationName = authenticationName,
                Integrity = authentication.Algorithm,
                AuthenticationKey = authenticationKey,
                IcvLength = icvLength,
                ChecksIntegrity = aead || authentication.Checks,
                SourceName = sourceName,
                LineNumber = lineNumber,
            });
        }
        return entries;
    }

    private static bool NextRecord(string line, List<string> fields, string sourceName, int lineNumber, int expectedFields)
    {
        ReadOnlySpan<char> trimmed = line.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed[0] == '#')
        {
            return false;
        }
        if (!UatRecordParser.TrySplit(trimmed.ToString(), fields, out string error))
        {
            throw new KeyFileException(sourceName, lineNumber, error);
        }
        if (fields.Count != expectedFields)
        {
            throw new KeyFileException(sourceName, lineNumber, $"expected {expectedFields} comma-separated fields, found {fields.Count}");
        }
        return true;
    }

    private static ulong ParseIkeSpi(string text, string what, string sourceName, int lineNumber)
    {
        byte[] bytes = ParseHex(text, what, sourceName, lineNumber);
        if (bytes.Length != 8)
        {
            throw new KeyFileException(sourceName, lineNumber, $"{what} must be 8 octets (16 hex digits), got \"{text}\"");
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    private static byte[] ParseHex(string text, string what, string sourceName, int lineNumber)
    {
        ReadOnlySpan<char> span = text.AsSpan();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }
        var digits = new List<char>(span.Length);
        foreach (char c in span)
        {
            if (c is ':' or '-' or ' ')
            {
                continue;
            }
            if (!char.IsAsciiHexDigit(c))
            {
                throw new KeyFileException(sourceName, lineNumber, $"{what} is not hexadecimal: \"{text}\"");
            }
            digits.Add(c);
        }
        if ((digits.Count & 1) != 0)
        {
            throw new KeyFileException(sourceName, lineNumber, $"{what} has an odd number of hex digits: \"{text}\"");
        }
        return Convert.FromHexString(new string(digits.ToArray()));
    }

    private static void CheckLength(byte[] key, int expected, string what, string kind, string sourceName, int lineNumber)
    {
        if (key.Length != expected)
        {
            throw new KeyFileException(sourceName, lineNumber, $"{what} is {key.Length} octets but the {kind} algorithm needs {expected}");
        }
    }

    private static NetworkAddress? ParseEspAddress(string text, AddressFamily family, string what, string sourceName, int lineNumber)
    {
        if (text.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }
        if (!IPAddress.TryParse(text, out IPAddress? address) || address.AddressFamily != family)
        {
            throw new KeyFileException(sourceName, lineNumber, $"{what} \"{text}\" is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address or \"*\"");
        }
        return NetworkAddress.FromIPAddress(address);
    }

    private static uint? ParseEspSpi(string text, string sourceName, int lineNumber)
    {
        if (text == "*")
        {
            return null;
        }
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint spi)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out spi);
        if (!ok)
        {
            throw new KeyFileException(sourceName, lineNumber, $"SPI \"{text}\" is not a 32-bit number (0x-prefixed hex or decimal) or \"*\"");
        }
        return spi;
    }

    private static byte[] ParseEspKey(string text, string what, string sourceName, int lineNumber)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ParseHex(text, what, sourceName, lineNumber);
        }
        // Wireshark takes a key without the 0x prefix as ASCII text.
        return System.Text.Encoding.Latin1.GetBytes(text);
    }

    private static void CheckEspCipherKey(EncryptionAlgorithm? encryption, byte[] key, string name, string sourceName, int lineNumber)
    {
        bool ok = encryption switch
        {
            EncryptionAlgorithm.EncrNull => key.Length == 0,
            EncryptionAlgorithm.AesCbc => key.Length is 16 or 24 or 32,
            EncryptionAlgorithm.AesCtr or EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12
                or EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.AesGcm16Iiv => key.Length is 20 or 28 or 36,
            EncryptionAlgorithm.TripleDes => key.Length == 24,
            EncryptionAlgorithm.Des => key.Length == 8,
            EncryptionAlgorithm.ChaCha20Poly1305 or EncryptionAlgorithm.ChaCha20Poly1305Iiv => key.Length == 36,
            _ => true,
        };
        if (!ok)
        {
            throw new KeyFileException(sourceName, lineNumber, $"encryption key of {key.Length} octets does not fit \"{name}\"");
        }
    }
}
