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

    private static readonly Lazy<NativeFunctions?> s_native = new(LoadNative);

    private readonly LibPcapLiveDevice _device;
    private FrameHandler? _arrival;
    private Thread? _thread;
    private volatile bool _stopping;
    private bool _nanosecondTimestamps;

    private InlinePort(LibPcapLiveDevice device, LinkType linkType)
    {
        _device = device;
        LinkType = linkType;
    }

    /// <summary>Called on the port's capture thread for every frame captured.</summary>
    public delegate void FrameHandler(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds);

    private delegate int PcapSetDirection(SafeHandle handle, int direction);

    private delegate int PcapNextEx(SafeHandle handle, out IntPtr header, out IntPtr data);

    private delegate int PcapGetTimestampPrecision(SafeHandle handle);

    private delegate void PcapBreakLoop(SafeHandle handle);

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

        if (s_native.Value is not { } native || native.SetDirection(device.Handle, PcapDirectionIn) != 0)
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
        return new InlinePort(device, LinkType.Ethernet) { _nanosecondTimestamps = native.GetTimestampPrecision(device.Handle) == 1 };
    }

    /// <summary>Starts capturing on the port's own thread; <paramref name="arrival"/> runs there for every frame,
    /// one at a time, in arrival order.</summary>
    public void Start(FrameHandler arrival)
    {
        _arrival = arrival;
        _stopping = false;
        _thread = new Thread(CaptureLoop) { Name = "visibility-inline-" + Name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Stops capturing: wakes the capture thread out of its read (<c>pcap_breakloop</c>) and waits for it
    /// to finish the frame in hand.</summary>
    public void Stop()
    {
        if (_thread is null)
        {
            return;
        }
        _stopping = true;
        s_native.Value?.BreakLoop(_device.Handle);
        _thread.Join();
        _thread = null;
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

    /// <summary>The error that ended the capture thread early, or null.</summary>
    public string? CaptureError { get; private set; }

    public void Dispose()
    {
        Stop();
        _device.Close();
        _device.Dispose();
    }

    /// <summary>Reads frame by frame with libpcap's own <c>pcap_next_ex</c> (SharpPcap's reader adds a poll of its
    /// own that does not wake for frames on a Linux ring): in immediate mode a frame is returned as soon as the
    /// kernel has it, and the read timeout bounds how long a stop request waits. Each frame is copied once, into a
    /// buffer reused for the next.</summary>
    private void CaptureLoop()
    {
        FrameHandler arrival = _arrival!;
        PcapNextEx next = s_native.Value!.NextEx;
        byte[] buffer = GC.AllocateUninitializedArray<byte>(Snaplen, pinned: true);
        while (!_stopping)
        {
            int status = next(_device.Handle, out IntPtr header, out IntPtr data);
            if (status == 1)
            {
                // struct pcap_pkthdr on LP64: timeval (tv_sec, tv_usec or tv_nsec at nanosecond precision), caplen, len.
                long seconds = Marshal.ReadInt64(header, 0);
                long fraction = Marshal.ReadInt64(header, 8);
                int captured = Math.Min(Marshal.ReadInt32(header, 16), buffer.Length);
                int length = Marshal.ReadInt32(header, 20);
                Marshal.Copy(data, buffer, 0, captured);
                arrival(buffer.AsSpan(0, captured), length, (seconds * 1_000_000_000) + (_nanosecondTimestamps ? fraction : fraction * 1000));
            }
            else if (status < 0 && !_stopping)
            {
                CaptureError = "capture failed (pcap_next_ex " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
                return;
            }
        }
    }

    /// <summary>SharpPcap exposes neither <c>pcap_setdirection</c> nor a plain <c>pcap_next_ex</c> (nor
    /// <c>pcap_breakloop</c> to end it): they are bound here from the same libpcap.</summary>
    private static NativeFunctions? LoadNative()
    {
        foreach (string library in (string[])["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"])
        {
            if (NativeLibrary.TryLoad(library, out IntPtr handle)
                && NativeLibrary.TryGetExport(handle, "pcap_setdirection", out IntPtr setDirection)
                && NativeLibrary.TryGetExport(handle, "pcap_next_ex", out IntPtr nextEx)
                && NativeLibrary.TryGetExport(handle, "pcap_get_tstamp_precision", out IntPtr precision)
                && NativeLibrary.TryGetExport(handle, "pcap_breakloop", out IntPtr breakLoop))
            {
                return new NativeFunctions(
                    Marshal.GetDelegateForFunctionPointer<PcapSetDirection>(setDirection),
                    Marshal.GetDelegateForFunctionPointer<PcapNextEx>(nextEx),
                    Marshal.GetDelegateForFunctionPointer<PcapGetTimestampPrecision>(precision),
                    Marshal.GetDelegateForFunctionPointer<PcapBreakLoop>(breakLoop));
            }
        }
        return null;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private sealed record NativeFunctions(PcapSetDirection SetDirection, PcapNextEx NextEx, PcapGetTimestampPrecision GetTimestampPrecision,
        PcapBreakLoop BreakLoop);
}
