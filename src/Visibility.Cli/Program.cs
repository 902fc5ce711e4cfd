using System.CommandLine;
using System.Text;
using Visibility.Cli.Commands;

namespace Visibility.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        // The console's own writer writes 256 bytes at a time: a JSON summary of 2 MB took 9,000 system calls. Still
        // flushed after every write call, so nothing waits in the buffer.
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = true });
        var root = new RootCommand("""
            Visibility: passive traffic visibility for IPsec networks. Sees inside integrity-only ESP
            (ESP-NULL) and WESP, and follows the IKEv2 traffic that sets them up.
            """)
        {
            ReplayCommand.Create(),
            RulesCommand.Create(),
            LiveCommand.Create(),
            InlineCommand.Create(),
            RunCommand.Create(),
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Last resort: a bug must still end in one line, not a stack trace.
            Console.Error.WriteLine($"visibility: internal error: {e.GetType().Name}: {e.Message}");
            return 70;
        }
    }
}
