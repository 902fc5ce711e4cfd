using System.Text;
using Visibility.Cli.Output;

namespace Visibility.Integration.Tests.Units;

public sealed class RotatingFileStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("visibility-rotate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RotatingFileStream_PastLimit_RotatesOnlyBetweenLines()
    {
        string path = Path.Combine(_dir, "eve.json");
        using (var stream = new RotatingFileStream(path, rotateBytes: 100, keep: 3))
        {
            for (int i = 0; i < 20; i++)
            {
                // A record arrives as a body write and then a newline byte, as the EVE writer does it.
                stream.Write(Encoding.ASCII.GetBytes($"{{\"n\":{i},\"pad\":\"0123456789012345678901234567890123456789\"}}"));
                stream.WriteByte((byte)'\n');
            }
            Assert.True(stream.Files > 3);
        }
        string[] files = [path, path + ".1", path + ".2", path + ".3"];
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        Assert.False(File.Exists(path + ".4"));
        var numbers = new List<int>();
        foreach (string file in files.Reverse())
        {
            string[] lines = File.ReadAllLines(file);
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.StartsWith("{\"n\":", l, StringComparison.Ordinal));
            Assert.All(lines, l => Assert.EndsWith("}", l, StringComparison.Ordinal));
            numbers.AddRange(lines.Select(l => int.Parse(l[5..l.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)));
        }
        // The newest records are all there, in order, with none split or repeated.
        Assert.Equal(Enumerable.Range(20 - numbers.Count, numbers.Count), numbers);
        Assert.Equal(19, numbers[^1]);
    }

    [Fact]
    public void RotatingFileStream_UnderLimit_WritesOneFile()
    {
        string path = Path.Combine(_dir, "small.json");
        using (var stream = new RotatingFileStream(path, rotateBytes: 1 << 20))
        {
            stream.Write("{}\n"u8);
            Assert.Equal(1, stream.Files);
        }
        Assert.Equal("{}\n", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".1"));
    }
}
