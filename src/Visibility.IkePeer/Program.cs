using Visibility.IkePeer.Cli;

namespace Visibility.IkePeer;

/// <summary>Entry point of <c>visibility-peer</c>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        var registrations = PeerRunner.OnTermination(stop);
        try
        {
            return await PeerRunner.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
