using System.Net.Sockets;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Tests.Session;

public sealed class ReceiveLoopTests
{
    [Theory]
    [InlineData(SocketError.MessageSize)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.ConnectionRefused)]
    public async Task ErrorOfOneDatagram_IsSkipped(SocketError error)
    {
        int calls = 0;
        var stopped = new List<Exception>();
        await ReceiveLoop.RunAsync(
            _ => ++calls switch
            {
                1 => throw new SocketException((int)error),
                2 => Task.CompletedTask,
                _ => throw new ObjectDisposedException("socket"),
            },
            stopped.Add,
            CancellationToken.None);
        Assert.Equal(3, calls);
        Assert.Empty(stopped);
    }

    [Fact]
    public async Task CancelledOrClosed_EndsQuietly()
    {
        var stopped = new List<Exception>();
        await ReceiveLoop.RunAsync(_ => throw new OperationCanceledException(), stopped.Add, CancellationToken.None);
        await ReceiveLoop.RunAsync(_ => throw new ObjectDisposedException("socket"), stopped.Add, CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await ReceiveLoop.RunAsync(_ => throw new InvalidOperationException("never called"), stopped.Add, cancelled.Token);
        Assert.Empty(stopped);
    }

    [Theory]
    [InlineData(SocketError.NetworkDown)]
    [InlineData(SocketError.AccessDenied)]
    public async Task OtherSocketError_StopsTheLoopAndIsReported(SocketError error)
    {
        int calls = 0;
        var stopped = new List<Exception>();
        await ReceiveLoop.RunAsync(
            _ =>
            {
                calls++;
                throw new SocketException((int)error);
            },
            stopped.Add,
            CancellationToken.None);
        Assert.Equal(1, calls);
        SocketException reported = Assert.IsType<SocketException>(Assert.Single(stopped));
        Assert.Equal(error, reported.SocketErrorCode);
    }

    [Fact]
    public async Task HandlerBug_StopsTheLoopAndIsReported()
    {
        var stopped = new List<Exception>();
        await ReceiveLoop.RunAsync(_ => throw new InvalidOperationException("bug"), stopped.Add, CancellationToken.None);
        Assert.Equal("bug", Assert.Single(stopped).Message);
    }
}
