using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Esp;
using Visibility.Wire.Ike;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Export;

/// <summary>Writes negotiated keys in Wireshark's UAT formats (<c>ikev2_decryption_table</c>, <c>esp_sa</c>) and one
/// JSON line per SA to <c>sa.jsonl</c>, appending, in one folder.</summary>
/// <remarks>
/// ikev2_decryption_table: <c>SPIi,SPIr,SK_ei,SK_er,"encryption",SK_ai,SK_ar,"integrity"</c> (hex, no prefix).
/// esp_sa: <c>"IPv4","src","dst","0xSPI","encryption","0xkey","authentication","0xkey"</c>, one row per direction.
/// Algorithm names are Wireshark's (packet-isakmp.c, packet-esp.c); AES-GCM ESP uses the ICV-explicit name with NULL
/// authentication.
/// </remarks>
internal sealed class KeyExporter
{
    public const string IkeFileName = "ikev2_decryption_table";
    public const string EspFileName = "esp_sa";
    public const string SaFileName = "sa.jsonl";

    private readonly string _directory;
    private readonly Lock _gate = new();

    public KeyExporter(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public static string IkeEncryptionName(EncryptionTransform e) => e.TransformId switch
    {
        EncryptionAlgorithm.AesCbc => $"AES-CBC-{e.KeyBits} [RFC3602]",
        EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16 => $"AES-GCM-{e.KeyBits} with {e.IcvLength} octet ICV [RFC5282]",
        _ => "NULL [RFC2410]",
    };

    public static string IkeIntegrityName(IntegrityTransform i) => i.TransformId switch
    {
        IntegrityAlgorithm.HmacSha1_96 => "HMAC_SHA1_96 [RFC2404]",
        IntegrityAlgorithm.HmacSha2_256_128 => "HMAC_SHA2_256_128 [RFC4868]",
        IntegrityAlgorithm.HmacSha2_384_192 => "HMAC_SHA2_384_192 [RFC4868]",
        IntegrityAlgorithm.HmacSha2_512_256 => "HMAC_SHA2_512_256 [RFC4868]",
        _ => "NONE [RFC4306]",
    };

    public static string EspEncryptionName(EncryptionTransform e) => e.TransformId switch
    {
        EncryptionAlgorithm.AesCbc => "AES-CBC [RFC3602]",
        EncryptionAlgorithm.AesGcm8 or EncryptionAlgorithm.AesGcm12 or EncryptionAlgorithm.AesGcm16 => $"AES-GCM with {e.IcvLength} octet ICV [RFC4106]",
        _ => "NULL",
    };

    public static string EspIntegrityName(IntegrityTransform i) => i.TransformId switch
    {
        IntegrityAlgorithm.HmacSha1_96 => "HMAC-SHA-1-96 [RFC2404]",
        IntegrityAlgorithm.HmacSha2_256_128 => "HMAC-SHA-256-128 [RFC4868]",
        IntegrityAlgorithm.HmacSha2_384_192 => "HMAC-SHA-384-192 [RFC4868]",
        IntegrityAlgorithm.HmacSha2_512_256 => "HMAC-SHA-512-256 [RFC4868]",
        _ => "NULL",
    };

    public static string IkeLine(IkeSession session)
    {
        var suite = session.Suite!;
        var keys = session.Keys!;
        return string.Create(CultureInfo.InvariantCulture,
            $"{session.InitiatorSpi:x16},{session.ResponderSpi:x16},{Hex(keys.SkEi)},{Hex(keys.SkEr)},\"{IkeEncryptionName(suite.Encryption)}\",{Hex(keys.SkAi)},{Hex(keys.SkAr)},\"{IkeIntegrityName(suite.Integrity)}\"");
    }

    public static string EspLine(IPEndPoint source, IPEndPoint destination, EspSa sa)
    {
        var family = source.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        return string.Create(CultureInfo.InvariantCulture,
            $"\"{family}\",\"{source.Address}\",\"{destination.Address}\",\"0x{sa.Spi:x8}\",\"{EspEncryptionName(sa.Suite.Encryption)}\",\"0x{Hex(sa.Keys.EncryptionKey)}\",\"{EspIntegrityName(sa.Suite.Integrity)}\",\"0x{Hex(sa.Keys.IntegrityKey)}\"");
    }

    public void WriteIkeSa(IkeSession session)
    {
        var json = Json(w =>
        {
            w.WriteString("type", "ike");
            w.WriteString("init_spi", session.InitiatorSpi.ToString("x16", CultureInfo.InvariantCulture));
            w.WriteString("resp_spi", session.ResponderSpi.ToString("x16", CultureInfo.InvariantCulture));
            w.WriteString("role", session.IsInitiator ? "initiator" : "responder");
            w.WriteString("local", session.Local.ToString());
            w.WriteString("remote", session.Remote.ToString());
            w.WriteString("encryption", session.Suite!.Encryption.Name);
            w.WriteString("integrity", session.Suite.Integrity.Name);
            w.WriteString("prf", session.Suite.Prf?.Name);
            w.WriteString("dh_group", ProposalParser.GroupName(session.Suite.DhGroup));
            if (session.RekeyedFrom != 0)
            {
                w.WriteString("rekeyed_from", session.RekeyedFrom.ToString("x16", CultureInfo.InvariantCulture));
            }
        });
        Append(IkeFileName, IkeLine(session));
        Append(SaFileName, json);
    }

    public void WriteChildSa(IkeSession session, ChildSa child)
    {
        var local = session.Local;
        var remote = session.Remote;
        if (!child.Suite.Encryption.IsGmac)
        {
            // Wireshark's ESP dissector has no ENCR_NULL_AUTH_AES_GMAC; such SAs are in sa.jsonl only.
            Append(EspFileName, EspLine(local, remote, child.Outbound) + "\n" + EspLine(remote, local, child.Inbound));
        }

        WriteEspJson(session, child, child.Outbound, local, remote, "outbound");
        WriteEspJson(session, child, child.Inbound, remote, local, "inbound");
    }

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private void WriteEspJson(IkeSession session, ChildSa child, EspSa sa, IPEndPoint source, IPEndPoint destination, string direction)
    {
        var suite = child.Suite;
        var json = Json(w =>
        {
            w.WriteString("type", "esp");
            w.WriteNumber("spi", sa.Spi);
            w.WriteString("direction", direction);
            w.WriteString("src_ip", source.Address.ToString());
            // Plain ESP and WESP (IP protocols 50 and 141) have no ports.
            w.WriteNumber("src_port", session.PlainEsp ? 0 : source.Port);
            w.WriteString("dest_ip", destination.Address.ToString());
            w.WriteNumber("dest_port", session.PlainEsp ? 0 : destination.Port);
            w.WriteString("encap", child.Wesp ? (session.NatTraversal ? "wesp-udp" : "wesp") : session.NatTraversal ? "udp" : "esp");
            w.WriteString("mode", "tunnel");
            w.WriteString("encryption", suite.Encryption.Name);
            w.WriteString("integrity", suite.Integrity.Name);
            w.WriteNumber("icv_len", sa.IcvLength);
            w.WriteNumber("iv_len", suite.Encryption.IvLength);
            w.WriteString("verdict", suite.Encryption.IsIntegrityOnly ? "null" : "encrypted");
            w.WriteBoolean("esn", suite.Esn);
            w.WriteString("init_spi", session.InitiatorSpi.ToString("x16", CultureInfo.InvariantCulture));
            w.WriteString("resp_spi", session.ResponderSpi.ToString("x16", CultureInfo.InvariantCulture));
            w.WriteString("local_ts", child.LocalTs.ToString());
            w.WriteString("remote_ts", child.RemoteTs.ToString());
            if (child.RekeyOf != 0)
            {
                w.WriteNumber("rekey_of", child.RekeyOf);
            }
        });
        Append(SaFileName, json);
    }

    private void Append(string file, string line)
    {
        lock (_gate)
        {
            File.AppendAllText(Path.Combine(_directory, file), line + "\n");
        }
    }
}
