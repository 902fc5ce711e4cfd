using System.Text;
using Visibility.Cli.Capture;

namespace Visibility.Integration.Tests.Units;

/// <summary><see cref="SharedRecordStream"/>: handles of several threads on one output never interleave inside a
/// record, whether a record ends at each write (EVE) or at a flush (pcap).</summary>
public sealed class SharedRecordStreamTests
{
    private const int Threads = 4;
    private const int RecordsPerThread = 2000;

    [Fact]
    public void RecordPerWrite_FourThreads_EveryRecordWhole()
    {
        var target = new MemoryStream();
        var gate = new Lock();
        RunThreads(thread =>
        {
            using var stream = new SharedRecordStream(target, gate, recordPerFlush: false);
            for (int i = 0; i < RecordsPerThread; i++)
            {
                stream.Write(Record(thread, i));
            }
        });
        AssertWhole(target);
    }

    [Fact]
    public void RecordPerFlush_FourThreadsWritingInPieces_EveryRecordWhole()
    {
        var target = new MemoryStream();
        var gate = new Lock();
        RunThreads(thread =>
        {
            using var stream = new SharedRecordStream(target, gate, recordPerFlush: true);
            for (int i = 0; i < RecordsPerThread; i++)
            {
                byte[] record = Record(thread, i);
                // A pcap writer hands a long packet over in two writes, then flushes.
                stream.Write(record, 0, 5);
                Thread.Yield();
                stream.Write(record, 5, record.Length - 5);
                stream.Flush();
            }
        });
        AssertWhole(target);
    }

    [Fact]
    public void RecordPerFlush_Muted_DiscardsWhatIsFlushed()
    {
        var target = new MemoryStream();
        using var stream = new SharedRecordStream(target, new Lock(), recordPerFlush: true) { Muted = true };
        stream.Write("header"u8);
        stream.Flush();
        stream.Muted = false;
        stream.Write("record\n"u8);
        Assert.Equal(0, target.Length);
        stream.Flush();
        Assert.Equal("record\n", Encoding.ASCII.GetString(target.ToArray()));
    }

    private static byte[] Record(int thread, int index) =>
        Encoding.ASCII.GetBytes($"{{\"thread\":{thread},\"index\":{index},\"pad\":\"{new string((char)('a' + thread), 40 + (index % 50))}\"}}\n");

    private static void RunThreads(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int thread = t;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                body(thread);
            });
            threads[t].Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }

    /// <summary>Every line is one record exactly as written, and each thread's records are there, in its order.</summary>
    private static void AssertWhole(MemoryStream target)
    {
        string[] lines = Encoding.ASCII.GetString(target.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Threads * RecordsPerThread, lines.Length);
        int[] next = new int[Threads];
        foreach (string line in lines)
        {
            int thread = line[10] - '0';
            Assert.InRange(thread, 0, Threads - 1);
            Assert.Equal(Encoding.ASCII.GetString(Record(thread, next[thread])), line + "\n");
            next[thread]++;
        }
        Assert.All(next, n => Assert.Equal(RecordsPerThread, n));
    }
}
