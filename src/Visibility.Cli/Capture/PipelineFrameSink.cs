using Visibility.Engine.Pipeline;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>Frames straight into one <see cref="PacketPipeline"/> on the reader's thread.</summary>
internal sealed class PipelineFrameSink(PacketPipeline pipeline) : IFrameSink
{
    public void Process(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, LinkType linkType, long frameNumber, int source) =>
        pipeline.Process(frame, originalLength, timestampNanoseconds, linkType, frameNumber);

    public void Idle()
    {
    }
}
