using System.Runtime.CompilerServices;
using Visibility.Cli.Metrics;
using Visibility.Engine.Pipeline;
using Visibility.Wire.Pcap;

namespace Visibility.Cli.Capture;

/// <summary>Runs one capture file through a frame sink (a pipeline, or a session that spreads frames over its workers)
/// on the calling thread (the service host's file mode).</summary>
internal static class PcapFileSource
{
    private const int CancelCheckEvery = 1 << 12;

    /// <summary>Reads <paramref name="path"/> to its end, its first damage, or cancellation. Returns a one-line
    /// error, or null.</summary>
    public static string? Replay(string path, PacketPipeline pipeline, PacketSourceTotals totals, CancellationToken cancel) =>
        Replay(path, new PipelineFrameSink(pipeline), -1, totals, cancel);

    /// <summary>As the other overload, into <paramref name="sink"/>, the frames tagged with input index
    /// <paramref name="source"/>.</summary>
    // Runs once for the whole file: compiled fully optimised by the JIT (not precompiled, not left at a lower tier).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? Replay(string path, IFrameSink sink, int source, PacketSourceTotals totals, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(totals);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot open: {e.Message}";
        }
        totals.BeginFile(path);
        try
        {
            using CaptureFileReader reader = CaptureFileReader.Open(stream);
            while (reader.TryReadNext(out CaptureRecord record))
            {
                sink.Process(record.Data, record.OriginalLength, record.TimestampNanoseconds, record.LinkType, record.FrameNumber, source);
                if ((record.FrameNumber & (CancelCheckEvery - 1)) == 0 && cancel.IsCancellationRequested)
                {
                    return null;
                }
            }
            return null;
        }
        catch (CaptureFileException e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            return $"read error: {e.Message}";
        }
        finally
        {
            totals.EndFile();
            stream.Dispose();
        }
    }
}
