namespace Visibility.Cli.Capture;

/// <summary>Counters of one capture source, cumulative since it was opened.</summary>
/// <param name="Received">Frames the kernel handed to the capture (pcap <c>ps_recv</c>).</param>
/// <param name="KernelDropped">Frames dropped because the capture buffer was full (pcap <c>ps_drop</c>).</param>
/// <param name="InterfaceDropped">Frames the interface or its driver dropped (pcap <c>ps_ifdrop</c>).</param>
/// <param name="RingOverflows">Frames captured but dropped because the processing thread was behind.</param>
internal readonly record struct CaptureStatistics(long Received, long KernelDropped, long InterfaceDropped, long RingOverflows)
{
    /// <summary>Every frame lost on the way to the pipeline.</summary>
    public long TotalDropped => KernelDropped + InterfaceDropped + RingOverflows;
}
