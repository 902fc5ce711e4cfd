using System.Net.Sockets;

namespace Visibility.IkePeer.Session;

/// <summary>The receive loop both transports run per socket: what ends it, what it skips, and that it never ends
/// silently.</summary>
internal static class ReceiveLoop
{
    /// <summary>Calls <paramref name="receiveOne"/> (receive one datagram and hand it on) until
    /// <paramref name="cancellationToken"/> is cancelled or the socket is closed. A socket error that concerns one
    /// datagram only (an ICMP error for an earlier send, a datagram larger than the buffer) skips it. Anything else
    /// ends the loop and goes to <paramref name="stopped"/>: a peer that can no longer receive must say so, not wait
    /// for answers that will never be read.</summary>
    public static async Task RunAsync(Func<CancellationToken, Task> receiveOne, Action<Exception> stopped, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await receiveOne(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
            }
            catch (Exception e)
            {
                stopped(e);
                return;
            }
        }
    }
}
