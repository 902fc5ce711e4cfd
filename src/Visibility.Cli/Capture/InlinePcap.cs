using System.Runtime.InteropServices;

namespace Visibility.Cli.Capture;

/// <summary>The few libpcap functions the inline bridge calls directly. SharpPcap opens its handles without
/// immediate mode taking effect on a Linux ring (frames then wait for a ring block to fill) and exposes neither
/// <c>pcap_setdirection</c> nor a plain <c>pcap_next_ex</c>, so the bridge's ports use libpcap itself.</summary>
internal sealed class InlinePcap
{
    public const int ErrorBufferSize = 256;
    public const int DirectionIn = 1;
    public const int TimestampPrecisionNano = 1;
    public const int ErrorBreak = -2;
    public const int ErrorNoSuchDevice = -5;
    public const int ErrorPermissionDenied = -8;
    public const int WarningPromiscuousNotSupported = 2;

    private static readonly Lazy<InlinePcap?> s_instance = new(Load);

    private InlinePcap(IntPtr library)
    {
        Create = Bind<PcapCreate>(library, "pcap_create");
        SetSnaplen = Bind<PcapSetInt>(library, "pcap_set_snaplen");
        SetPromisc = Bind<PcapSetInt>(library, "pcap_set_promisc");
        SetTimeout = Bind<PcapSetInt>(library, "pcap_set_timeout");
        SetImmediateMode = Bind<PcapSetInt>(library, "pcap_set_immediate_mode");
        SetBufferSize = Bind<PcapSetInt>(library, "pcap_set_buffer_size");
        SetTimestampPrecision = Bind<PcapSetInt>(library, "pcap_set_tstamp_precision");
        Activate = Bind<PcapHandleCall>(library, "pcap_activate");
        SetDirection = Bind<PcapSetInt>(library, "pcap_setdirection");
        Datalink = Bind<PcapHandleCall>(library, "pcap_datalink");
        GetTimestampPrecision = Bind<PcapHandleCall>(library, "pcap_get_tstamp_precision");
        NextEx = Bind<PcapNextEx>(library, "pcap_next_ex");
        SendPacket = Bind<PcapSendPacket>(library, "pcap_sendpacket");
        Stats = Bind<PcapStats>(library, "pcap_stats");
        BreakLoop = Bind<PcapHandleAction>(library, "pcap_breakloop");
        Close = Bind<PcapHandleAction>(library, "pcap_close");
        GetError = Bind<PcapGetError>(library, "pcap_geterr");
    }

    public delegate IntPtr PcapCreate([MarshalAs(UnmanagedType.LPStr)] string device, IntPtr errorBuffer);

    public delegate int PcapSetInt(IntPtr handle, int value);

    public delegate int PcapHandleCall(IntPtr handle);

    public delegate void PcapHandleAction(IntPtr handle);

    public delegate int PcapNextEx(IntPtr handle, out IntPtr header, out IntPtr data);

    public delegate int PcapSendPacket(IntPtr handle, byte[] buffer, int size);

    public delegate int PcapStats(IntPtr handle, IntPtr stats);

    public delegate IntPtr PcapGetError(IntPtr handle);

    /// <summary>The bound functions, or null when no libpcap could be loaded.</summary>
    public static InlinePcap? Instance => s_instance.Value;

    public PcapCreate Create { get; }

    public PcapSetInt SetSnaplen { get; }

    public PcapSetInt SetPromisc { get; }

    public PcapSetInt SetTimeout { get; }

    public PcapSetInt SetImmediateMode { get; }

    public PcapSetInt SetBufferSize { get; }

    public PcapSetInt SetTimestampPrecision { get; }

    public PcapHandleCall Activate { get; }

    public PcapSetInt SetDirection { get; }

    public PcapHandleCall Datalink { get; }

    public PcapHandleCall GetTimestampPrecision { get; }

    public PcapNextEx NextEx { get; }

    public PcapSendPacket SendPacket { get; }

    public PcapStats Stats { get; }

    public PcapHandleAction BreakLoop { get; }

    public PcapHandleAction Close { get; }

    public PcapGetError GetError { get; }

    /// <summary>libpcap's last error message for <paramref name="handle"/>, on one line.</summary>
    public string ErrorText(IntPtr handle) => (Marshal.PtrToStringAnsi(GetError(handle)) ?? "unknown error").ReplaceLineEndings(" ").Trim();

    private static InlinePcap? Load()
    {
        foreach (string name in (string[])["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"])
        {
            if (NativeLibrary.TryLoad(name, out IntPtr library))
            {
                try
                {
                    return new InlinePcap(library);
                }
                catch (EntryPointNotFoundException)
                {
                    // Too old a libpcap (no immediate mode or nanosecond timestamps): try the next name.
                }
            }
        }
        return null;
    }

    private static T Bind<T>(IntPtr library, string name)
        where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
}
