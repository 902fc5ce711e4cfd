using Visibility.Wire.Ike;
using Visibility.Wire.Ike.Keys;

namespace Visibility.Cli.Replay;

/// <summary>Loads <c>--keys</c>: a folder holding <c>ikev2_decryption_table</c> and/or <c>esp_sa</c> (Wireshark's UAT
/// formats, as strongSwan's save-keys plugin writes them), or one such file.</summary>
/// <remarks>A single file named otherwise is recognised by its first record: <c>"IPv4"</c> or <c>"IPv6"</c> starts an
/// <c>esp_sa</c> row, anything else an <c>ikev2_decryption_table</c> row. Every problem throws
/// <see cref="KeyFileException"/> with a one-line message that starts with <c>file:line:</c> (or the path).</remarks>
internal static class KeyLoader
{
    public sealed record Keys(IReadOnlyList<IkeKeyTableEntry> Ike, IReadOnlyList<EspSaEntry> Esp, IReadOnlyList<string> Warnings);

    public static Keys Load(string path)
    {
        var ike = new List<IkeKeyTableEntry>();
        var esp = new List<EspSaEntry>();
        try
        {
            if (Directory.Exists(path))
            {
                string ikeFile = Path.Combine(path, WiresharkKeyFiles.Ikev2DecryptionTableFileName);
                string espFile = Path.Combine(path, WiresharkKeyFiles.EspSaFileName);
                if (!File.Exists(ikeFile) && !File.Exists(espFile))
                {
                    throw new KeyFileException($"{path}: holds neither {WiresharkKeyFiles.Ikev2DecryptionTableFileName} nor {WiresharkKeyFiles.EspSaFileName}");
                }
                if (File.Exists(ikeFile))
                {
                    ike.AddRange(WiresharkKeyFiles.LoadIkev2DecryptionTable(ikeFile));
                }
                if (File.Exists(espFile))
                {
                    esp.AddRange(WiresharkKeyFiles.LoadEspSa(espFile));
                }
            }
            else if (File.Exists(path))
            {
                if (IsEspSa(path))
                {
                    esp.AddRange(WiresharkKeyFiles.LoadEspSa(path));
                }
                else
                {
                    ike.AddRange(WiresharkKeyFiles.LoadIkev2DecryptionTable(path));
                }
            }
            else
            {
                throw new KeyFileException($"{path}: no such file or directory");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"{path}: cannot read: {e.Message}", e);
        }
        var warnings = new List<string>();
        foreach (IkeKeyTableEntry entry in ike)
        {
            if (!IkeSkDecryptor.IsSupportedEncryption(entry.Encryption))
            {
                warnings.Add($"{entry.Source}:{entry.LineNumber}: {IkeNames.GetName(entry.Encryption)} cannot be decrypted here; the messages of IKE SA {entry.InitiatorSpi:x16}/{entry.ResponderSpi:x16} stay encrypted");
            }
        }
        foreach (EspSaEntry entry in esp)
        {
            if (entry.Spi is null)
            {
                warnings.Add($"{entry.SourceName}:{entry.LineNumber}: an SPI of \"*\" matches no particular SA; the row is not used");
            }
        }
        return new Keys(ike, esp, warnings);
    }

    private static bool IsEspSa(string path)
    {
        string name = Path.GetFileName(path);
        if (name == WiresharkKeyFiles.EspSaFileName)
        {
            return true;
        }
        if (name == WiresharkKeyFiles.Ikev2DecryptionTableFileName)
        {
            return false;
        }
        foreach (string line in File.ReadLines(path))
        {
            ReadOnlySpan<char> trimmed = line.AsSpan().Trim();
            if (trimmed.IsEmpty || trimmed[0] == '#')
            {
                continue;
            }
            return trimmed.StartsWith("\"IPv4\"", StringComparison.Ordinal) || trimmed.StartsWith("\"IPv6\"", StringComparison.Ordinal);
        }
        return false;
    }
}
