using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Visibility.IkePeer.Session;

/// <summary>Creates raw IP sockets of any protocol number. <see cref="Socket"/>'s constructor accepts only the protocols
/// it knows by name (ICMP, TCP, UDP, ...) and refuses 50 and 141 with EPROTONOSUPPORT, so the socket is made with
/// socket(2) and handed to <see cref="Socket"/> as a handle.</summary>
internal static class RawIpSocket
{
    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int Eperm = 1;
    private const int Eacces = 13;
    private const int Eprotonosupport = 93;
    private const int Eafnosupport = 97;

    /// <summary>A raw socket of <paramref name="protocol"/>; throws <see cref="SocketException"/> (AccessDenied without
    /// CAP_NET_RAW) or <see cref="PlatformNotSupportedException"/> off Linux.</summary>
    public static Socket Open(AddressFamily family, byte protocol)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("raw IP sockets of protocols 50 and 141 are implemented for Linux only");
        }

        var domain = family == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet;
        var fd = NativeSocket(domain, SockRaw | SockCloexec, protocol);
        if (fd < 0)
        {
            throw new SocketException((int)(Marshal.GetLastPInvokeError() switch
            {
                Eperm or Eacces => SocketError.AccessDenied,
                Eprotonosupport => SocketError.ProtocolNotSupported,
                Eafnosupport => SocketError.AddressFamilyNotSupported,
                _ => SocketError.SocketError,
            }));
        }

        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    // DllImport rather than LibraryImport: the generated stub needs unsafe code, and int arguments need no marshalling.
    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int NativeSocket(int domain, int type, int protocol);
}
