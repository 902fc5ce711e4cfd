namespace Visibility.Captures.Tests.Ike;

/// <summary>Converts tcpdump's IKEv2 secrets (<c>ikev2 I|R 0xSPIi 0xSPIr integ:0xkey cipher:0xkey</c>, one line per
/// direction) into rows of Wireshark's <c>ikev2_decryption_table</c>, the format <c>--keys</c> reads.</summary>
internal static class TcpdumpSecrets
{
    public static IEnumerable<string> ToWiresharkRows(string path)
    {
        var directions = new Dictionary<(string, string), Dictionary<string, (string Cipher, string EncryptionKey, string Integrity, string IntegrityKey)>>();
        foreach (string line in File.ReadLines(path))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 6 || f[0] != "ikev2")
            {
                continue;
            }
            string[] integrity = f[4].Split(":0x");
            string[] cipher = f[5].Split(":0x");
            (string, string) key = (f[2][2..], f[3][2..]);
            if (!directions.TryGetValue(key, out var byDirection))
            {
                directions[key] = byDirection = [];
            }
            byDirection[f[1]] = (cipher[0], cipher[1], integrity[0], integrity[1]);
        }
        foreach (((string spii, string spir), var d) in directions)
        {
            var i = d["I"];
            var r = d["R"];
            string cipherName = i.Cipher switch
            {
                "aes128" => "AES-CBC-128 [RFC3602]",
                "aes192" => "AES-CBC-192 [RFC3602]",
                "aes256" => "AES-CBC-256 [RFC3602]",
                _ => throw new InvalidDataException($"cipher {i.Cipher}"),
            };
            string integrityName = i.Integrity switch
            {
                "sha1" => "HMAC_SHA1_96 [RFC2404]",
                "sha256" => "HMAC_SHA2_256_128 [RFC4868]",
                _ => throw new InvalidDataException($"integrity {i.Integrity}"),
            };
            yield return $"{spii},{spir},{i.EncryptionKey},{r.EncryptionKey},\"{cipherName}\",{i.IntegrityKey},{r.IntegrityKey},\"{integrityName}\"";
        }
    }
}
