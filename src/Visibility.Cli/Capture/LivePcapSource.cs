using SharpPcap;
using SharpPcap.LibPcap;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>One network interface captured through libpcap (SharpPcap). The capture thread's callback copies
/// <c>e.Data</c> straight into the frame ring: no <c>RawCapture</c>, no packet objects, no lock.</summary>
/// <remarks>Timestamps are asked for in nanoseconds (libpcap falls back to microseconds where the kernel cannot).
/// SharpPcap itself builds a small header object per frame for the callback; nothing else is allocated. The read
/// timeout bounds how long a partly filled kernel block waits before it is handed over.</remarks>
internal sealed class LivePcapSource : ICaptureSource
{
    private const int ReadTimeoutMilliseconds = 100;

    private readonly LibPcapLiveDevice _device;
    private readonly FrameRing _ring;
    private bool _started;

    private LivePcapSource(LibPcapLiveDevice device, FrameRing ring, LinkType linkType)
    {
        _device = device;
        _ring = ring;
        LinkType = linkType;
        _device.OnPacketArrival += OnPacketArrival;
    }

    public string Name => _device.Name;

    public LinkType LinkType { get; }

    public FrameRing Ring => _ring;

    /// <summary>Opens <paramref name="name"/> and applies the filter; throws <see cref="CaptureException"/> with a
    /// one-line reason (no such interface, permission denied, bad filter, no libpcap).</summary>
    public static LivePcapSource Open(string name, LiveCaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        LibPcapLiveDevice? device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == name);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new CaptureException($"libpcap is not available ({e.Message}); install libpcap0.8", ExitCodes.InputError);
        }
        if (device is null)
        {
            throw new CaptureException($"{name}: no such interface", ExitCodes.InputError);
        }

        try
        {
            device.Open(new DeviceConfiguration
            {
                Mode = options.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
                Snaplen = options.Snaplen,
                ReadTimeout = ReadTimeoutMilliseconds,
                BufferSize = options.BufferSize,
                TimestampResolution = TimestampResolution.Nanosecond,
            });
        }
        catch (Exception e) when (e is PcapException or PlatformNotSupportedException or InvalidOperationException)
        {
            device.Dispose();
            throw new CaptureException($"{name}: cannot open: {Describe(e.Message)}", ExitCodes.InputError);
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(options.Bpf))
            {
                device.Filter = options.Bpf;
            }
        }
        catch (PcapException e)
        {
            device.Dispose();
            throw new CaptureException($"{name}: bad BPF filter '{options.Bpf}': {OneLine(e.Message)}", ExitCodes.Usage);
        }

        int dlt = (int)device.LinkType;
        if (!Enum.IsDefined(typeof(LinkType), (ushort)dlt))
        {
            device.Dispose();
            throw new CaptureException($"{name}: link-layer type {dlt} is not supported", ExitCodes.InputError);
        }
        return new LivePcapSource(device, new FrameRing(options.RingBytes), (LinkType)dlt);
    }

    public void Start()
    {
        _device.StartCapture();
        _started = true;
    }

    public void Stop()
    {
        if (_started)
        {
            _started = false;
            try
            {
                _device.StopCapture();
            }
            catch (PcapException)
            {
                // The capture thread did not end in time; it ends with the handle when the source is disposed.
            }
        }
    }

    public CaptureStatistics ReadStatistics()
    {
        long received = 0, dropped = 0, ifDropped = 0;
        try
        {
            ICaptureStatistics stats = _device.Statistics;
            received = stats.ReceivedPackets;
            dropped = stats.DroppedPackets;
            ifDropped = stats.InterfaceDroppedPackets;
        }
        catch (Exception e) when (e is PcapException or DeviceNotReadyException or ObjectDisposedException)
        {
            // Closed or failing device: report what the ring knows.
        }
        return new CaptureStatistics(received, dropped, ifDropped, _ring.Overflows);
    }

    public void Dispose()
    {
        Stop();
        _device.OnPacketArrival -= OnPacketArrival;
        _device.Close();
        _device.Dispose();
    }

    private void OnPacketArrival(object sender, PacketCapture e)
    {
        if (e.Header is PcapHeader header)
        {
            // Timeval.Value is decimal seconds at the handle's resolution (nanoseconds when the kernel gives them).
            long timestamp = decimal.ToInt64(header.Timeval.Value * 1_000_000_000m);
            _ring.TryWrite(e.Data, (int)header.PacketLength, timestamp);
        }
    }

    private static string Describe(string message)
    {
        string line = OneLine(message);
        return line.Contains("permission", StringComparison.OrdinalIgnoreCase) || line.Contains("not permitted", StringComparison.OrdinalIgnoreCase)
            ? $"permission denied ({line}); run as root or grant CAP_NET_RAW and CAP_NET_ADMIN"
            : line;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
