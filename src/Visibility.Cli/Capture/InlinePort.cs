using System.Globalization;
using System.Runtime.InteropServices;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>One port of the inline bridge: a libpcap handle that captures the frames arriving on the interface (on
/// the port's own thread) and injects the frames forwarded to it.</summary>
/// <remarks>The handle is promiscuous, in immediate mode (each frame is handed over as soon as the kernel has it,
/// not when a ring block fills) and keeps whole frames (libpcap's largest snap length), so frames are forwarded
/// uncut (a longer one, from GRO or LRO left on, cannot be forwarded and counts as a send error). It captures the inbound direction only (<c>pcap_setdirection(PCAP_D_IN)</c>): a frame the bridge
/// injected here, or that the host sent here, is never captured and bridged back. Injection uses the same handle,
/// which Linux also keeps from seeing its own frames. Each captured frame is copied once, into a pinned buffer
/// reused for the next one.</remarks>
internal sealed class InlinePort : IDisposable
{
    /// <summary>Bytes captured per frame: the largest IP packet plus its link header. In immediate mode every ring
    /// slot is this large, so it is not libpcap's 262144 (the default ring would then hold 8 frames).</summary>
    public const int Snaplen = 65535 + 64;

    /// <summary>Kernel ring per port when not given: about a thousand slots of <see cref="Snaplen"/>, for bursts.</summary>
    public const int DefaultBufferSize = 64 << 20;

    private const int ReadTimeoutMilliseconds = 100;

    private readonly InlinePcap _pcap;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(Snaplen, pinned: true);
    private readonly bool _nanosecondTimestamps;
    private readonly Lock _sendLock = new();
    private IntPtr _handle;
    private FrameHandler? _arrival;
    private Thread? _thread;
    private volatile bool _stopping;

    private InlinePort(InlinePcap pcap, string name, IntPtr handle, bool nanosecondTimestamps)
    {
        _pcap = pcap;
        Name = name;
        _handle = handle;
        _nanosecondTimestamps = nanosecondTimestamps;
    }

    /// <summary>Called on the port's capture thread for every frame captured; <paramref name="frame"/> is the port's
    /// <see cref="FrameBuffer"/> and is valid for this call only.</summary>
    public delegate void FrameHandler(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds);

    public string Name { get; }

    public LinkType LinkType => LinkType.Ethernet;

    /// <summary>The buffer the frame being handled was captured into (its first bytes are the frame).</summary>
    public byte[] FrameBuffer => _buffer;

    /// <summary>The error that ended the capture thread early, or null.</summary>
    public string? CaptureError { get; private set; }

    /// <summary>Opens <paramref name="name"/>; throws <see cref="CaptureException"/> with a one-line reason (no such
    /// interface, permission denied, no libpcap, not Ethernet).</summary>
    public static InlinePort Open(string name, int? bufferSize)
    {
        InlinePcap pcap = InlinePcap.Instance
            ?? throw new CaptureException("libpcap is not available (libpcap.so.0.8, 1.5 or later); install libpcap0.8", ExitCodes.InputError);
        IntPtr errors = Marshal.AllocHGlobal(InlinePcap.ErrorBufferSize);
        IntPtr handle;
        try
        {
            Marshal.WriteByte(errors, 0);
            handle = pcap.Create(name, errors);
            if (handle == IntPtr.Zero)
            {
                throw new CaptureException($"{name}: cannot open: {Marshal.PtrToStringAnsi(errors)}", ExitCodes.InputError);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(errors);
        }

        try
        {
            pcap.SetSnaplen(handle, Snaplen);
            pcap.SetPromisc(handle, 1);
            pcap.SetTimeout(handle, ReadTimeoutMilliseconds);
            pcap.SetImmediateMode(handle, 1);
            pcap.SetTimestampPrecision(handle, InlinePcap.TimestampPrecisionNano);
            pcap.SetBufferSize(handle, bufferSize ?? DefaultBufferSize);
            int activated = pcap.Activate(handle);
            if (activated < 0)
            {
                string reason = activated switch
                {
                    InlinePcap.ErrorNoSuchDevice => "no such interface",
                    InlinePcap.ErrorPermissionDenied => $"cannot open: permission denied ({pcap.ErrorText(handle)}); run as root or grant CAP_NET_RAW and CAP_NET_ADMIN",
                    _ => "cannot open: " + pcap.ErrorText(handle),
                };
                throw new CaptureException($"{name}: {reason}", ExitCodes.InputError);
            }
            if (pcap.Datalink(handle) is int dlt && dlt != (int)LinkType.Ethernet)
            {
                throw new CaptureException($"{name}: link-layer type {dlt} cannot be bridged (Ethernet only)", ExitCodes.InputError);
            }
            if (pcap.SetDirection(handle, InlinePcap.DirectionIn) != 0)
            {
                throw new CaptureException($"{name}: cannot capture inbound frames only ({pcap.ErrorText(handle)}); the bridge would loop", ExitCodes.InputError);
            }
            return new InlinePort(pcap, name, handle, pcap.GetTimestampPrecision(handle) == InlinePcap.TimestampPrecisionNano);
        }
        catch
        {
            pcap.Close(handle);
            throw;
        }
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
        _pcap.BreakLoop(_handle);
        _thread.Join();
        _thread = null;
    }

    /// <summary>Injects the first <paramref name="length"/> bytes of <paramref name="buffer"/>; false when the
    /// interface refused them (down, longer than its MTU). Both capture threads may send here.</summary>
    public bool Send(byte[] buffer, int length)
    {
        lock (_sendLock)
        {
            return _handle != IntPtr.Zero && _pcap.SendPacket(_handle, buffer, length) == 0;
        }
    }

    /// <summary>Kernel counters (pcap_stats): received, dropped for lack of buffer, dropped by the interface.</summary>
    public CaptureStatistics ReadStatistics()
    {
        IntPtr stats = Marshal.AllocHGlobal(16);
        try
        {
            lock (_sendLock)
            {
                if (_handle == IntPtr.Zero || _pcap.Stats(_handle, stats) != 0)
                {
                    return default;
                }
            }
            // struct pcap_stat: u_int ps_recv, ps_drop, ps_ifdrop.
            return new CaptureStatistics((uint)Marshal.ReadInt32(stats, 0), (uint)Marshal.ReadInt32(stats, 4), (uint)Marshal.ReadInt32(stats, 8), 0);
        }
        finally
        {
            Marshal.FreeHGlobal(stats);
        }
    }

    public void Dispose()
    {
        Stop();
        lock (_sendLock)
        {
            if (_handle != IntPtr.Zero)
            {
                _pcap.Close(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    /// <summary>Reads frame by frame (<c>pcap_next_ex</c>): in immediate mode a frame is returned as soon as the
    /// kernel has it; <c>pcap_breakloop</c> ends a read in progress.</summary>
    private void CaptureLoop()
    {
        FrameHandler arrival = _arrival!;
        while (!_stopping)
        {
            int status = _pcap.NextEx(_handle, out IntPtr header, out IntPtr data);
            if (status == 1)
            {
                // struct pcap_pkthdr on LP64: timeval (tv_sec, then tv_usec, or nanoseconds at nano precision), caplen, len.
                long seconds = Marshal.ReadInt64(header, 0);
                long fraction = Marshal.ReadInt64(header, 8);
                int captured = Math.Min(Marshal.ReadInt32(header, 16), _buffer.Length);
                int length = Marshal.ReadInt32(header, 20);
                Marshal.Copy(data, _buffer, 0, captured);
                arrival(_buffer.AsSpan(0, captured), length, (seconds * 1_000_000_000) + (_nanosecondTimestamps ? fraction : fraction * 1000));
            }
            else if (status < 0 && !(_stopping && status == InlinePcap.ErrorBreak))
            {
                CaptureError = $"capture failed ({status.ToString(CultureInfo.InvariantCulture)}: {_pcap.ErrorText(_handle)})";
                return;
            }
        }
    }
}
