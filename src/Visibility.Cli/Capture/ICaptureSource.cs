using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>A live source of frames (one network interface). Its own thread copies each frame into
/// <see cref="Ring"/>; the processing thread reads them out and runs them through the pipeline.</summary>
internal interface ICaptureSource : IDisposable
{
    /// <summary>The interface name (metrics label <c>iface</c>, EVE <c>pcap_filename</c> of live flows).</summary>
    string Name { get; }

    /// <summary>Link-layer type of every frame this source delivers (known once opened).</summary>
    LinkType LinkType { get; }

    /// <summary>The frames captured and not yet processed.</summary>
    FrameRing Ring { get; }

    /// <summary>Starts delivering frames into <see cref="Ring"/> on the source's own thread.</summary>
    void Start();

    /// <summary>Stops delivering frames; frames already in the ring stay there to be drained.</summary>
    void Stop();

    /// <summary>Kernel and interface counters (cumulative since open), plus the ring's overflows.</summary>
    CaptureStatistics ReadStatistics();
}
