using Visibility.Wire.Pcap;

namespace Visibility.Wire.Tests.Decoding;

/// <summary>The classic-pcap files of <c>captures/public/</c>, read once into memory.</summary>
internal static class CaptureCorpus
{
    private static readonly Lazy<IReadOnlyList<CaptureFile>> s_files = new(Load);

    /// <summary>The repository root: the first directory above the test binaries holding <c>Visibility.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static IReadOnlyList<CaptureFile> Files => s_files.Value;

    public static CaptureFile Get(string name) => Files.Single(f => f.Name == name);

    /// <summary>Every capture file name, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (CaptureFile file in Files)
        {
            data.Add(file.Name);
        }
        return data;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Visibility.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Visibility.sln not found above " + AppContext.BaseDirectory);
    }

    private static List<CaptureFile> Load()
    {
        var files = new List<CaptureFile>();
        foreach (string path in Directory.GetFiles(Path.Combine(RepositoryRoot, "captures", "public")).Order(StringComparer.Ordinal))
        {
            if (!IsClassicPcap(path))
            {
                // pcapng needs the pcapng reader; these files are left to the capture-file tests.
                continue;
            }
            var frames = new List<CapturedFrame>();
            LinkType linkType;
            using (CaptureFileReader reader = CaptureFileReader.Open(File.OpenRead(path)))
            {
                linkType = default;
                while (reader.TryReadNext(out CaptureRecord record))
                {
                    linkType = record.LinkType;
                    frames.Add(new CapturedFrame(record.Data.ToArray(), record.OriginalLength, record.FrameNumber));
                }
            }
            files.Add(new CaptureFile(Path.GetFileName(path), linkType, frames));
        }
        return files;
    }

    private static bool IsClassicPcap(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using FileStream stream = File.OpenRead(path);
        if (stream.Read(magic) < 4)
        {
            return false;
        }
        uint value = BitConverter.ToUInt32(magic);
        return value is 0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1;
    }
}
