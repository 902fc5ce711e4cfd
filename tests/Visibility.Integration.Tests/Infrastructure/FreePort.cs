using System.Net;
using System.Net.Sockets;

namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Loopback TCP ports nobody listens on (the kernel picks them).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
