using System.Runtime.InteropServices;
using SharpPcap;
using SharpPcap.LibPcap;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>One port of the inline bridge: a libpcap handle (SharpPcap) that captures the frames arriving on the
/// interface and injects the frames forwarded to it.</summary>
/// <remarks>The handle is opened in promiscuous and immediate mode (a frame is handed over as soon as it arrives,
/// not when a kernel block fills) with the largest snap length, so frames are forwarded whole. It captures the
/// inbound direction only (<c>pcap_setdirection(PCAP_D_IN)</c>): a frame the bridge injected here, or the host sent
/// here, is never captured and bridged back. Injection uses the same handle, which Linux also keeps from seeing
/// its own sent frames.</remarks>
internal sealed class InlinePort : IDisposable
{
    /// <summary>Bytes captured per frame: libpcap's maximum, so a frame is never forwarded cut.</summary>
    public const int Snaplen = 262144;

    private const int PcapDirectionIn = 1;

    private static readonly Lazy<PcapSetDirection?> s_setDirection = new(LoadSetDirection);

    private readonly LibPcapLiveDevice _device;
    private FrameHandler? _arrival;
    private bool _started;

    private InlinePort(LibPcapLiveDevice device, LinkType linkType)
    {
        _device = device;
        LinkType = linkType;
        _device.OnPacketArrival += OnPacketArrival;
    }

    /// <summary>Called on the port's capture thread for every frame captured.</summary>
    public delegate void FrameHandler(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds);

    private delegate int PcapSetDirection(SafeHandle handle, int direction);

    public string Name => _device.Name;

    public LinkType LinkType { get; }

    /// <summary>Opens <paramref name="name"/>; throws <see cref="CaptureException"/> with a one-line reason (no such
    /// interface, permission denied, no libpcap, unsupported link type).</summary>
    public static InlinePort Open(string name, int? bufferSize)
    {
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
                Mode = DeviceModes.Promiscuous,
                Snaplen = Snaplen,
                ReadTimeout = 100,
                Immediate = true,
                BufferSize = bufferSize,
                TimestampResolution = TimestampResolution.Nanosecond,
            });
        }
        catch (Exception e) when (e is PcapException or PlatformNotSupportedException or InvalidOperationException)
        {
            device.Dispose();
            string line = OneLine(e.Message);
            throw new CaptureException(
                line.Contains("permission", StringComparison.OrdinalIgnoreCase) || line.Contains("not permitted", StringComparison.OrdinalIgnoreCase)
                    ? $"{name}: cannot open: permission denied ({line}); run as root or grant CAP_NET_RAW and CAP_NET_ADMIN"
                    : $"{name}: cannot open: {line}",
                ExitCodes.InputError);
        }

        if (s_setDirection.Value is not { } setDirection || setDirection(device.Handle, PcapDirectionIn) != 0)
        {
            device.Dispose();
            throw new CaptureException($"{name}: cannot capture inbound frames only (pcap_setdirection); the bridge would loop", ExitCodes.InputError);
        }

        int dlt = (int)device.LinkType;
        if (dlt != (int)LinkType.Ethernet)
        {
            device.Dispose();
            throw new CaptureException($"{name}: link-layer type {dlt} cannot be bridged (Ethernet only)", ExitCodes.InputError);
        }
        return new InlinePort(device, LinkType.Ethernet);
    }

    /// <summary>Starts capturing; <paramref name="arrival"/> runs on the port's capture thread for every frame.</summary>
    public void Start(FrameHandler arrival)
    {
        _arrival = arrival;
        _device.StartCapture();
        _started = true;
    }

    /// <summary>Stops capturing (waits for the capture thread to end).</summary>
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
                // The capture thread did not end in time; it ends with the handle when the port is disposed.
            }
        }
    }

    /// <summary>Injects one frame; false when the interface refused it (down, too long for its MTU).</summary>
    public bool Send(ReadOnlySpan<byte> frame)
    {
        try
        {
            _device.SendPacket(frame);
            return true;
        }
        catch (Exception e) when (e is PcapException or DeviceNotReadyException or ObjectDisposedException)
        {
            return false;
        }
    }

    public CaptureStatistics ReadStatistics()
    {
        try
        {
            ICaptureStatistics stats = _device.Statistics;
            return new CaptureStatistics(stats.ReceivedPackets, stats.DroppedPackets, stats.InterfaceDroppedPackets, 0);
        }
        catch (Exception e) when (e is PcapException or DeviceNotReadyException or ObjectDisposedException)
        {
            return default;
        }
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
        if (e.Header is PcapHeader header && _arrival is { } arrival)
        {
            // Timeval.Value is decimal seconds at the handle's resolution (nanoseconds when the kernel gives them).
            arrival(e.Data, (int)header.PacketLength, decimal.ToInt64(header.Timeval.Value * 1_000_000_000m));
        }
    }

    /// <summary>SharpPcap does not expose <c>pcap_setdirection</c>; it is bound here from the same libpcap.</summary>
    private static PcapSetDirection? LoadSetDirection()
    {
        foreach (string library in (string[])["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"])
        {
            if (NativeLibrary.TryLoad(library, out IntPtr handle) && NativeLibrary.TryGetExport(handle, "pcap_setdirection", out IntPtr function))
            {
                return Marshal.GetDelegateForFunctionPointer<PcapSetDirection>(function);
            }
        }
        return null;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
