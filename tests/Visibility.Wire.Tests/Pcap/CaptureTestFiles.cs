using Visibility.Wire.Pcap;

namespace Visibility.Wire.Tests.Pcap;

/// <summary>Where the test captures and oracle files live, and helpers to read a whole capture.</summary>
internal static class CaptureTestFiles
{
    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);

    public static string RepositoryRoot => s_repositoryRoot.Value;

    public static string PublicCaptures => Path.Combine(RepositoryRoot, "captures", "public");

    public static string OracleDirectory => Path.Combine(RepositoryRoot, "tests", "Visibility.Wire.Tests", "Pcap", "Oracle");

    public static byte[] ReadCapture(string name) => File.ReadAllBytes(Path.Combine(PublicCaptures, name));

    /// <summary>Reads every record; a <see cref="CaptureFileException"/> ends the list and is returned beside it.
    /// Any other exception escapes and fails the calling test.</summary>
    public static (List<ReadRecord> Records, CaptureFileException? Error) ReadAll(Stream stream, int? bufferLength = null)
    {
        var records = new List<ReadRecord>();
        CaptureFileReader reader;
        try
        {
            reader = bufferLength is int length ? CaptureFileReader.Open(stream, length) : CaptureFileReader.Open(stream);
        }
        catch (CaptureFileException e)
        {
            return (records, e);
        }
        using (reader)
        {
            try
            {
                while (reader.TryReadNext(out CaptureRecord record))
                {
                    records.Add(ReadRecord.From(record));
                }
            }
            catch (CaptureFileException e)
            {
                return (records, e);
            }
        }
        return (records, null);
    }

    public static (List<ReadRecord> Records, CaptureFileException? Error) ReadAll(byte[] file, int? bufferLength = null) =>
        ReadAll(new MemoryStream(file, writable: false), bufferLength);

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Visibility.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Visibility.sln not found above " + AppContext.BaseDirectory);
    }
}
